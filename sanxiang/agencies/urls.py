from django.urls import path

from sanxiang.agencies.actions import CERTIFICATES
from sanxiang.agencies.views import agency, certificates, staff, training

app_name = "agencies"

urlpatterns = [
    path("agencies/", agency.agency_list, name="agency-list"),
    path("agencies/<int:agency_id>/", agency.agency_detail, name="agency-detail"),
    path("agencies/<int:agency_id>/edit/", agency.agency_edit, name="agency-edit"),
    path(
        "agencies/<int:agency_id>/decision-details/",
        agency.agency_decision_details,
        name="agency-decision-details",
    ),
    path("agencies/<int:agency_id>/new-child/", agency.agency_create, name="agency-create"),
    path("agencies/<int:agency_id>/windows/new/", agency.window_create, name="window-create"),
    path("agencies/<int:agency_id>/staff/new/", staff.staff_create, name="staff-create"),
    path("windows/<int:window_id>/edit/", agency.window_edit, name="window-edit"),
    path("windows/<int:window_id>/delete/", agency.window_delete, name="window-delete"),
    path("staff/", staff.staff_list, name="staff-list"),
    path("staff/<int:staff_id>/", staff.staff_detail, name="staff-detail"),
    path("staff/<int:staff_id>/edit/", staff.staff_edit, name="staff-edit"),
    path("staff/<int:staff_id>/roles/", staff.staff_roles, name="staff-roles"),
    path("staff/<int:staff_id>/password/", staff.staff_password, name="staff-password"),
    path("staff/<int:staff_id>/active/", staff.staff_active, name="staff-active"),
    path("staff/<int:staff_id>/second-factor/issue/", staff.staff_otp_issue, name="staff-otp-issue"),
    path("staff/<int:staff_id>/second-factor/reset/", staff.staff_otp_reset, name="staff-otp-reset"),
    path("staff/<int:staff_id>/tokens/<int:token_id>/revoke/", staff.staff_token_revoke, name="staff-token-revoke"),
    path("staff/<int:staff_id>/certificates/new/", certificates.certificate_issue, name="certificate-issue"),
    path("staff/<int:staff_id>/training/new/", training.training_create, name="training-create"),
    path("training/", training.training_list, name="training-list"),
    path("training/<int:record_id>/withdraw/", training.training_withdraw, name="training-withdraw"),
    path("certificates/", certificates.certificate_list, name="certificate-list"),
    path("certificates/<int:certificate_id>/", certificates.certificate_detail, name="certificate-detail"),
    *[
        path(
            f"certificates/<int:certificate_id>/{action}/",
            certificates.certificate_action,
            {"action": action},
            name=f"certificate-{action}",
        )
        for action in CERTIFICATES.actions
    ],
]
