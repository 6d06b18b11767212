"""The workbench pages of licensing, mounted at workbench/licensing/."""

from django.urls import path

from sanxiang.licensing import type_views, views

app_name = "licensing"

urlpatterns = [
    path("", views.window, name="window"),
    path("new/", views.new, name="new"),
    path("new/<int:type_id>/", views.new_for_type, name="new-for-type"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<str:action>", views.application_action, name="application-action"),
    path("licences/", views.licence_list, name="licences"),
    path("licences/<int:pk>/", views.licence_detail, name="licence"),
    path("licences/<int:pk>/<str:action>", views.licence_action, name="licence-action"),
    path("types/", type_views.type_list, name="types"),
    path("types/new", type_views.type_create, name="type-new"),
    path("types/<int:pk>/", type_views.type_detail, name="type"),
    path("types/<int:pk>/edit", type_views.type_update, name="type-edit"),
    path("types/<int:pk>/materials", type_views.type_materials, name="type-materials"),
    path("types/<int:pk>/withdraw", type_views.type_withdraw, name="type-withdraw"),
]
