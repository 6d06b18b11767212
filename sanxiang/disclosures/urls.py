"""Workbench pages of pre-disclosure (事前公开): collect → review → publish."""

from django.urls import path

from sanxiang.disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/<int:disclosure_id>/", views.item, name="item"),
    path("items/<int:disclosure_id>/<str:action>", views.item_action, name="action"),
    path("<str:code>/", views.agency, name="agency"),
    path("<str:code>/create", views.create, name="create"),
]
