"""Every write of the agencies app: agencies and their service windows, staff accounts, enforcement certificates,
and the reference data the agencies administer (the working-day calendar, local rule values)."""

from django.utils.translation import gettext_lazy

from sanxiang.agencies.services.agencies import (
    agency_create,
    agency_set_decision_details,
    agency_update,
    service_window_create,
    service_window_delete,
    service_window_update,
)
from sanxiang.agencies.services.certificates import (
    CERTIFICATE,
    certificate_issue,
    certificate_reinstate,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
)
from sanxiang.agencies.services.reference import (
    calendar_day_set,
    calendar_import_package,
    calendar_year_confirm,
    rule_set,
)
from sanxiang.agencies.services.second_factor import (
    otp_device_register,
    otp_device_reset,
    otp_enrolment_begin,
    otp_enrolment_complete,
    otp_enrolment_issue,
)
from sanxiang.agencies.services.security_keys import (
    security_key_check,
    security_key_register,
    security_key_remove,
)
from sanxiang.agencies.services.staff import (
    STAFF_EDITABLE,
    password_change,
    staff_create,
    staff_set_active,
    staff_set_password,
    staff_set_roles,
    staff_token_revoke,
    staff_update,
)
from sanxiang.agencies.services.training import (
    TRAINING_FIELDS,
    training_record_correct,
    training_record_create,
    training_record_withdraw,
)

# Ledger actions written here, with the label staff see in histories and the audit page.
LEDGER_ACTIONS = {
    "agency.create": gettext_lazy("设立机关"),
    "agency.update": gettext_lazy("修改机关信息"),
    "agency.decision_details": gettext_lazy("登记复议机关、管辖法院和缴款途径"),
    "service_window.create": gettext_lazy("添加服务窗口"),
    "service_window.update": gettext_lazy("修改服务窗口"),
    "service_window.delete": gettext_lazy("删除服务窗口"),
    "staff.create": gettext_lazy("开设账号"),
    "staff.update": gettext_lazy("修改人员信息"),
    "staff.roles": gettext_lazy("调整角色"),
    "staff.activate": gettext_lazy("启用账号"),
    "staff.deactivate": gettext_lazy("停用账号"),
    "staff.password": gettext_lazy("重设密码"),
    "otp_enrolment.issue": gettext_lazy("签发动态验证码绑定"),
    "otp_enrolment.complete": gettext_lazy("绑定动态验证码"),
    "otp_device.reset": gettext_lazy("重置动态验证码"),
    "otp_device.register": gettext_lazy("登记动态验证码种子"),
    "security_key.register": gettext_lazy("添加安全密钥"),
    "security_key.remove": gettext_lazy("删除安全密钥"),
    "staff.password_change": gettext_lazy("本人修改密码"),
    "rule.set": gettext_lazy("设置法定规则"),
    "calendar.day_set": gettext_lazy("录入节假日安排"),
    "calendar.year_confirm": gettext_lazy("确认年度节假日安排"),
    "calendar.year_import": gettext_lazy("导入年度节假日安排"),
}

# Training records are the agency's business records, not administrative changes of the system: kept apart from
# LEDGER_ACTIONS, which the security audit log mirrors as 管理操作.
TRAINING_ACTIONS = {
    "training.create": gettext_lazy("登记培训记录"),
    "training.withdraw": gettext_lazy("撤回培训记录"),
    "training.correct": gettext_lazy("更正培训记录"),
} | CERTIFICATE.labels()

__all__ = [
    "CERTIFICATE",
    "LEDGER_ACTIONS",
    "TRAINING_ACTIONS",
    "STAFF_EDITABLE",
    "agency_create",
    "agency_set_decision_details",
    "agency_update",
    "password_change",
    "calendar_day_set",
    "calendar_import_package",
    "calendar_year_confirm",
    "certificate_issue",
    "certificate_reinstate",
    "certificate_renew",
    "certificate_revoke",
    "certificate_suspend",
    "otp_device_register",
    "otp_device_reset",
    "otp_enrolment_begin",
    "otp_enrolment_complete",
    "otp_enrolment_issue",
    "rule_set",
    "security_key_check",
    "security_key_register",
    "security_key_remove",
    "service_window_create",
    "service_window_delete",
    "service_window_update",
    "staff_create",
    "staff_set_active",
    "staff_set_password",
    "staff_set_roles",
    "staff_token_revoke",
    "staff_update",
    "TRAINING_FIELDS",
    "training_record_correct",
    "training_record_create",
    "training_record_withdraw",
]
