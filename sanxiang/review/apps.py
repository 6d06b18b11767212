from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """重大执法决定法制审核: the catalogue of major decisions, submissions, the nine-point review, written opinions,
    rounds and coordination — and the gate a case's decision passes through."""

    name = "sanxiang.review"
    label = "review"

    def ready(self):
        from sanxiang.cases.hooks import review_gate
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.licensing.hooks import review_gate as licence_review_gate
        from sanxiang.review import selectors
        from sanxiang.review.gate import GATE
        from sanxiang.review.licence_gate import GATE as LICENCE_GATE
        from sanxiang.review.models import ITEMS, Coordination, Review, ReviewRule, Round
        from sanxiang.review.services import LEDGER_ACTIONS

        review_gate.register(GATE)
        licence_review_gate.register(LICENCE_GATE)
        ACTION_LABELS.register(LEDGER_ACTIONS)
        FACT_WORDS.register(
            words_of(Review.Status, "status", subject="review.review")
            | words_of(Round.Outcome, "outcome", subject="review.review")
            | words_of(ITEMS, "problems", subject="review.review")
            | words_of(Coordination.Decision, "decision", subject="review.review")
            | words_of(ReviewRule.Kind, "kind", subject=ReviewRule.ledger_subject)
        )
        HISTORY_GATES.register({"review.review": (selectors.review_get_for_user, "review_id")})
