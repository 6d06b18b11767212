"""Every write of the review app: the catalogue of major decisions, and the review of each one."""

from django.utils.translation import gettext_lazy

from sanxiang.review.services.catalogue import review_rule_add, review_rule_remove
from sanxiang.review.services.reviews import (
    REVIEW,
    review_contest,
    review_coordinate,
    review_extend,
    review_record_opinion,
    review_resubmit,
    review_submit,
    review_submit_application,
    review_take,
)

LEDGER_ACTIONS = REVIEW.labels() | {
    "review_rule.add": gettext_lazy("增加法制审核目录事项"),
    "review_rule.remove": gettext_lazy("删除法制审核目录事项"),
}

__all__ = [
    "LEDGER_ACTIONS",
    "REVIEW",
    "review_contest",
    "review_coordinate",
    "review_extend",
    "review_record_opinion",
    "review_resubmit",
    "review_rule_add",
    "review_rule_remove",
    "review_submit",
    "review_submit_application",
    "review_take",
]
