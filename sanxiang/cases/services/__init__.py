"""Every write of the cases app. One function per transition; base.CASE and parties.INSPECTION hold the moves."""

from django.utils.translation import gettext_lazy

from sanxiang.cases.services.base import CASE, case_refresh_deadlines
from sanxiang.cases.services.catalogue import (
    discretion_factor_add,
    discretion_factor_remove,
    discretion_factor_update,
    power_violations_set,
    violation_create,
    violation_update,
)
from sanxiang.cases.services.closure import closure_approval_record, closure_propose
from sanxiang.cases.services.decision import (
    case_correct,
    case_decide,
    case_discuss,
    case_extend_decision,
    case_reconsider,
    case_record_review_result,
    case_resume,
    case_suspend,
)
from sanxiang.cases.services.derived import daily_penalty_open, production_measure_open
from sanxiang.cases.services.directory import parties_import
from sanxiang.cases.services.execution import (
    SERVICE_METHODS,
    amount_due,
    case_apply_court,
    case_archive,
    case_close,
    case_defer_payment,
    case_file_archive,
    case_file_pack_and_archive,
    case_record_payment,
    case_remind,
    case_serve,
    late_fee,
)
from sanxiang.cases.services.filing import (
    case_calculate_discretion,
    case_decide_preservation,
    case_extend_filing,
    case_file,
    case_not_file,
    case_preserve,
    case_record_act_place,
    case_review,
    case_submit,
    case_transfer,
    case_withdraw,
)
from sanxiang.cases.services.measures import correction_order_issue
from sanxiang.cases.services.notice import (
    case_notify,
    case_record_hearing,
    case_record_statement,
    case_record_waiver,
    case_request_hearing,
    case_schedule_hearing,
)
from sanxiang.cases.services.onsite import (
    ONSITE,
    onsite_penalty_acknowledge,
    onsite_penalty_decide,
    onsite_penalty_file,
)
from sanxiang.cases.services.parties import (
    INSPECTION,
    case_open,
    inspection_complete,
    inspection_start,
    party_correct,
    party_create,
)
from sanxiang.cases.services.remedies import challenge_decide, challenge_record
from sanxiang.cases.services.seizures import seizure_extend, seizure_propose, seizure_release

LEDGER_ACTIONS = (
    CASE.labels()
    | INSPECTION.labels()
    | ONSITE.labels()
    | {
        "party.create": gettext_lazy("登记当事人"),
        # Written before corrections needed a reason; older ledgers still hold it.
        "party.update": gettext_lazy("修改当事人信息"),
        "party.correct": gettext_lazy("更正当事人信息"),
        "discretion_factor.add": gettext_lazy("增加裁量因素"),
        "discretion_factor.update": gettext_lazy("修改裁量因素"),
        "discretion_factor.remove": gettext_lazy("删除裁量因素"),
        "violation.create": gettext_lazy("增加违法行为目录事项"),
        "violation.update": gettext_lazy("修改违法行为目录事项"),
        "power.violations": gettext_lazy("挂接违法行为"),
    }
)

__all__ = [
    "CASE",
    "LEDGER_ACTIONS",
    "SERVICE_METHODS",
    "case_refresh_deadlines",
    "challenge_decide",
    "closure_approval_record",
    "closure_propose",
    "challenge_record",
    "case_calculate_discretion",
    "amount_due",
    "case_apply_court",
    "case_archive",
    "case_close",
    "case_file_archive",
    "case_file_pack_and_archive",
    "case_correct",
    "case_decide",
    "case_decide_preservation",
    "case_defer_payment",
    "case_discuss",
    "case_extend_decision",
    "case_extend_filing",
    "case_transfer",
    "case_file",
    "case_not_file",
    "case_notify",
    "case_open",
    "case_preserve",
    "case_reconsider",
    "case_record_act_place",
    "case_record_hearing",
    "case_record_payment",
    "case_record_review_result",
    "case_record_statement",
    "case_record_waiver",
    "case_remind",
    "case_request_hearing",
    "case_resume",
    "case_review",
    "case_schedule_hearing",
    "case_serve",
    "case_submit",
    "case_suspend",
    "case_withdraw",
    "inspection_complete",
    "inspection_start",
    "late_fee",
    "party_create",
    "party_correct",
    "parties_import",
    "power_violations_set",
    "correction_order_issue",
    "daily_penalty_open",
    "onsite_penalty_acknowledge",
    "onsite_penalty_decide",
    "onsite_penalty_file",
    "production_measure_open",
    "seizure_propose",
    "seizure_extend",
    "seizure_release",
    "discretion_factor_add",
    "discretion_factor_remove",
    "discretion_factor_update",
    "violation_create",
    "violation_update",
]
