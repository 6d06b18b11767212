"""What licensing needs from the apps above it, declared here and provided by them at start-up (core.hooks):
licensing never imports review or publicity."""

from __future__ import annotations

from typing import Protocol

from sanxiang.core import hooks

review_gate = hooks.hook(
    "licensing.review_gate",
    single=True,
    doc="The legal review (法制审核) a major licence decision passes through: an object with the methods of "
    "LicenceReviewGate. review provides it.",
)

decision_issued = hooks.hook(
    "licensing.decision_issued",
    doc="A licence was granted, changed or renewed (or deemed renewed), in the decision's transaction. Handlers take "
    "(actor, application, licence, document); publicity opens its publication record (7 working days, seed 三(一)).",
)

decision_changed = hooks.hook(
    "licensing.decision_changed",
    doc="A licence was recalled (撤回, 第八条) or revoked (撤销, 第六十九条), in that decision's transaction. Handlers take "
    "(actor, licence, changed_on, reason); publicity withdraws its publication with the reason.",
)


class LicenceReviewGate(Protocol):
    """The one interface between an application and its legal review (黑环发〔2019〕112号 三(三))."""

    def reasons(self, application) -> list[dict]:
        """The lines of the agency's catalogue of major decisions the application meets, each with its description
        and citation; empty when the decision needs no review."""

    def refusal(self, application) -> str:
        """Why the review does not yet allow the decision ("" when it does or none is needed)."""

    def panel(self, user, application) -> dict:
        """What the application's page shows of the review: the template to include and its context."""


def review() -> LicenceReviewGate:
    return review_gate.provider
