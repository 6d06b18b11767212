"""Every write of licensing: the application's procedure (intake, examination, decisions) and the licence's end."""

from sanxiang.licensing.services.decisions import (
    SERVICE_METHODS,
    application_grant,
    application_refuse,
    application_serve,
    applications_deem_renewed,
    decision_block,
    decision_refusal,
)
from sanxiang.licensing.services.examination import (
    application_examine,
    application_extend,
    application_pause,
    application_request_hearing,
    application_resume,
)
from sanxiang.licensing.services.intake import (
    REJECT_GROUNDS,
    application_accept,
    application_reject,
    application_request_supplement,
    application_submit,
    application_supplement,
    application_withdraw,
    applications_deem_accepted,
    missing_materials,
)
from sanxiang.licensing.services.licences import (
    CANCEL_GROUNDS,
    RECALL_GROUNDS,
    REVOKE_GROUNDS,
    licence_cancel,
    licence_recall,
    licence_register,
    licence_revoke,
    licences_expire,
)
from sanxiang.licensing.services.machine import APPLICATION, LEDGER_ACTIONS, LICENCE
from sanxiang.licensing.services.types import licence_type_materials, licence_type_save, licence_type_withdraw

__all__ = [
    "APPLICATION",
    "CANCEL_GROUNDS",
    "LEDGER_ACTIONS",
    "LICENCE",
    "RECALL_GROUNDS",
    "REJECT_GROUNDS",
    "REVOKE_GROUNDS",
    "SERVICE_METHODS",
    "application_accept",
    "application_examine",
    "application_extend",
    "application_grant",
    "application_pause",
    "application_refuse",
    "application_reject",
    "application_request_hearing",
    "application_request_supplement",
    "application_resume",
    "application_serve",
    "application_submit",
    "application_supplement",
    "application_withdraw",
    "applications_deem_accepted",
    "applications_deem_renewed",
    "decision_block",
    "decision_refusal",
    "licence_cancel",
    "licence_recall",
    "licence_register",
    "licence_revoke",
    "licence_type_materials",
    "licence_type_save",
    "licence_type_withdraw",
    "licences_expire",
    "missing_materials",
]
