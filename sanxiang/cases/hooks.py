"""What the case procedure needs from the apps above it, declared here and provided by them at start-up
(core.hooks): cases never imports publicity, evidence or review.
"""

from __future__ import annotations

from typing import Protocol

from sanxiang.core import hooks

decision_issued = hooks.hook(
    "cases.decision_issued",
    doc="A decision document of a case was just issued, in the decision's transaction. Handlers take (actor, case, "
    "document, content, kinds, fine, confiscation); publicity opens the decision's publication record.",
)

decision_changed = hooks.hook(
    "cases.decision_changed",
    doc="A 复议 or 诉讼 changed, revoked, or found unlawful or void the decision of a case, in the transaction that "
    "records the outcome. Handlers take (actor, case, changed_on, reason); publicity withdraws the decision's "
    "publication (《行政处罚法》第四十八条第二款).",
)

case_file_packer = hooks.hook(
    "cases.case_file_packer",
    single=True,
    doc="Packs a case's file for archiving and returns the SHA-256 of the stored package: provider(case=) -> str. "
    "It runs before the archiving transaction, since it renders every document; evidence provides it.",
)

measure_recordings = hooks.hook(
    "cases.measure_recordings",
    single=True,
    doc="Links the audio and video records of a measure's act that no other measure claims yet to the measure just "
    "decided, in its transaction, and returns how many: provider(case=, act=, measure=) -> int. evidence provides it.",
)

evidence_list = hooks.hook(
    "cases.evidence_list",
    single=True,
    doc="The evidence in a case's file by its numbers, as a penalty decision lists it (《行政处罚法》第五十九条第二项): "
    "provider(case=) -> list[str], one line an item in the order of the file; evidence provides it.",
)

review_gate = hooks.hook(
    "cases.review_gate",
    single=True,
    doc="The legal review (法制审核) a major decision passes through: an object with the methods of ReviewGate. "
    "review provides it.",
)

inspection_admission = hooks.hook(
    "cases.inspection_admission",
    single=True,
    doc="Whether an inspection may begin (国办发〔2024〕54号: an ordinary inspection only on a head's approval, an "
    "emergency one approved afterwards), called in inspection_start's transaction once the inspection and its "
    "officers are written: provider(actor=, inspection=, approval=) -> dict of facts for the start's ledger entry; "
    "it raises ValidationError to refuse, which rolls the start back. inspections provides it.",
)


class ReviewGate(Protocol):
    """The one interface between a case and its legal review (《行政处罚法》第五十八条)."""

    def reasons(self, case, *, coercive: bool = False, referral: bool = False) -> list[dict]:
        """The lines of the agency's catalogue of major decisions that the case meets, each with its description and
        citation; empty when the decision needs no review."""

    def refusal(self, case) -> str:
        """Why the review does not yet allow the decision ("" when it does)."""

    def summary(self, case) -> dict:
        """The latest review of the case for API clients: {"id", "status", "refusal"}."""

    def panel(self, user, case) -> dict:
        """What the case page shows of the review: the template to include and its context."""


def review() -> ReviewGate:
    return review_gate.provider


case_opened = hooks.hook(
    "cases.case_opened",
    required=False,
    doc="A case was just registered (案源登记), in case_open's transaction. Handlers take (actor, case); monitoring "
    "makes the packets of the exceedances of the case's inspection task its first evidence items.",
)

decision_evidence_gate = hooks.hook(
    "cases.decision_evidence_gate",
    required=False,
    doc="Whether the case's evidence may found a decision, called in case_decide's transaction before anything is "
    "written: handlers take (case) and raise RuleViolation to refuse; monitoring refuses a case whose evidence is "
    "only monitoring data before its art-41 checklist is complete (《行政处罚法》第四十一条).",
)

case_panels = hooks.hook(
    "cases.case_panels",
    required=False,
    doc="What the apps above show on a case's page: handlers take (user, case) and return a panel dict "
    '{"template", ...context} or None.',
)
