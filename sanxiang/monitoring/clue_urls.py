"""Workbench pages of the monitoring clues."""

from django.urls import path

from sanxiang.monitoring import clue_views

app_name = "monitoring-clues"

urlpatterns = [
    path("", clue_views.clue_list, name="list"),
    path("checks/<int:check_id>/", clue_views.check_detail, name="check"),
    path("checks/<int:check_id>/<str:action>", clue_views.check_action, name="action"),
]
