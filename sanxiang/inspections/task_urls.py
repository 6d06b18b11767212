"""Workbench pages of 检查任务."""

from django.urls import path

from sanxiang.inspections import task_views

app_name = "tasks"

urlpatterns = [
    path("", task_views.task_list, name="list"),
    path("new/", task_views.task_create, name="create"),
    path("from-draw", task_views.tasks_from_draw, name="from-draw"),
    path("<int:task_id>/", task_views.task_detail, name="task"),
    path("<int:task_id>/<str:action>", task_views.task_action, name="action"),
]
