"""The legal-review gate a licence decision passes through (licensing.hooks.LicenceReviewGate), provided by this app
at start-up: a line of the agency's catalogue of major decisions naming the licence type's power (kind `licence`)
makes the decision one that waits for the review (黑环发〔2019〕112号 三(三)2); the application's latest review
decides, as it stands, whether the head may grant or refuse."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sanxiang.licensing.models import Application
from sanxiang.review.catalogue import licence_reasons
from sanxiang.review.forms import SubmitForm
from sanxiang.review.models import Review
from sanxiang.review.selectors import cleared_round, is_application_handler, latest_review

S = Review.Status


def _waiting(review: Review | None) -> str:
    """Why a review that has not cleared the decision holds it back, by where the review stands."""
    if review is None:
        return _("该许可决定属于本机关重大执法决定法制审核目录的范围，尚未送法制审核，不得作出决定")
    words = {
        S.OPEN: _("法制审核尚在进行中，审核同意前不得作出决定"),
        S.PROBLEMS: _("法制审核意见认为存在问题，承办机构纠正后重新送审、经审核同意前不得作出决定"),
        S.COORDINATION: _("承办机构对法制审核意见有异议，正在协调，协调结束前不得作出决定"),
    }
    return words.get(review.status, _("未经法制审核或者审核未通过的，不得作出决定"))


class LicenceGate:
    def reasons(self, application: Application) -> list[dict]:
        return licence_reasons(application)

    def refusal(self, application: Application) -> str:
        if not self.reasons(application):
            return ""
        review = latest_review(application)
        return "" if cleared_round(review) is not None else _waiting(review)

    def panel(self, user, application: Application) -> dict:
        """The review's state on the application's page, and the form to send it for review when the user handles
        it and the decision waits for a review that may begin now."""
        reasons = self.reasons(application)
        review = latest_review(application) if reasons else None
        # once decided (or deemed granted, or ended without a decision) nothing waits for the review any more
        refusal = self.refusal(application) if application.is_open else ""
        may_submit = (
            bool(refusal)
            and application.status == Application.Status.ACCEPTED
            and (review is None or review.closed_at is not None)
            and is_application_handler(user, application)
        )
        return {
            "template": "review/_licence_panel.html",
            "application": application,
            "reasons": reasons,
            "review": review,
            "refusal": refusal,
            "form": SubmitForm() if may_submit else None,
        }


GATE = LicenceGate()
