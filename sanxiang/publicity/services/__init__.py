"""Every write of the publicity app."""

from sanxiang.publicity.services.imports import ImportRejected, publication_enter, publications_import
from sanxiang.publicity.services.lifecycle import (
    PUBLICATION,
    publication_confirm,
    publication_correct,
    publication_decision_changed,
    publication_end,
    publication_licence_changed,
    publication_publish,
    publication_redact,
    publication_withdraw,
    publication_withhold,
    publications_expire,
)
from sanxiang.publicity.services.opening import publication_licence_open, publication_open
from sanxiang.publicity.services.subscriptions import (
    notices_queue,
    notices_send,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
    subscriptions_expire,
)

LEDGER_ACTIONS = PUBLICATION.labels()

__all__ = [
    "LEDGER_ACTIONS",
    "PUBLICATION",
    "publication_confirm",
    "publication_correct",
    "publication_end",
    "publication_decision_changed",
    "publication_licence_changed",
    "publication_licence_open",
    "publication_open",
    "publication_publish",
    "publication_redact",
    "publication_withdraw",
    "publication_withhold",
    "publications_expire",
    "ImportRejected",
    "publication_enter",
    "publications_import",
    "notices_queue",
    "notices_send",
    "subscription_cancel",
    "subscription_confirm",
    "subscription_request",
    "subscriptions_expire",
]
