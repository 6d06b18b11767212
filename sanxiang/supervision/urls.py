"""Workbench pages of 行政执法监督."""

from django.urls import path

from sanxiang.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("notices/", views.notices, name="notices"),
    path("notices/new/", views.notice_new, name="notice-new"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("notices/<int:notice_id>/<str:action>", views.notice_action, name="action"),
    path("statistics/", views.statistics, name="statistics"),
]
