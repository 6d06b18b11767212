"""The legal-review gate a case's major decision passes through (cases.hooks.ReviewGate), provided by this app at
start-up: which lines of the catalogue a case meets, whether the review allows the decision, and what the case's
page and API show of it."""

from __future__ import annotations

from sanxiang.cases.models import Stage
from sanxiang.review.catalogue import review_reasons
from sanxiang.review.forms import SubmitForm
from sanxiang.review.selectors import decision_cleared, is_handling_unit, latest_review


class Gate:
    def reasons(self, case, *, coercive: bool = False, referral: bool = False) -> list[dict]:
        return review_reasons(case, coercive=coercive, referral=referral)

    def refusal(self, case) -> str:
        return decision_cleared(case)

    def summary(self, case) -> dict:
        review = latest_review(case)
        return {
            "id": review.pk if review else None,
            "status": review.status if review else None,
            "refusal": decision_cleared(case) if case.review_required else "",
        }

    def panel(self, user, case) -> dict:
        """The review's state on the case page, and the form to send the case for review when the handling unit
        may and the decision waits for it."""
        review = latest_review(case)
        refusal = decision_cleared(case) if case.review_required else ""
        may_submit = (
            case.stage == Stage.DECIDING
            and refusal
            and (review is None or review.closed_at)
            and is_handling_unit(user, case)
        )
        return {
            "template": "review/_case_panel.html",
            "review": review,
            "refusal": refusal,
            "form": SubmitForm() if may_submit else None,
        }


GATE = Gate()
