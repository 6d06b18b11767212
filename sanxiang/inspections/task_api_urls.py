from django.urls import path

from sanxiang.inspections import task_api

urlpatterns = [
    path("tasks/", task_api.TasksApi.as_view(), name="tasks"),
    path("tasks/from-draw", task_api.TasksFromDrawApi.as_view(), name="tasks-from-draw"),
    path("tasks/<int:task_id>/", task_api.TaskDetailApi.as_view(), name="task-detail"),
    *task_api.action_patterns(),
]
