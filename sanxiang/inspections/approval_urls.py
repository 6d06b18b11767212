"""Workbench pages of inspection approvals (行政检查审批)."""

from django.urls import path

from sanxiang.inspections import approval_views

app_name = "approvals"

urlpatterns = [
    path("", approval_views.approval_list, name="list"),
    path("new/", approval_views.approval_request, name="request"),
    path("<int:approval_id>/", approval_views.approval_detail, name="approval"),
    path("<int:approval_id>/<str:action>", approval_views.approval_action, name="action"),
]
