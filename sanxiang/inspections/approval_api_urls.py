from django.urls import path

from sanxiang.inspections import approval_api

urlpatterns = [
    path("approvals/", approval_api.ApprovalsApi.as_view(), name="approvals"),
    path("approvals/<int:approval_id>/", approval_api.ApprovalDetailApi.as_view(), name="approval-detail"),
    path("inspections/supervision/caps", approval_api.SupervisionApi.as_view(), name="supervision-caps"),
    *approval_api.action_patterns(),
]
