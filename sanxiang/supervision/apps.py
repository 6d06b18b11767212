from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """行政执法监督: what the supervisors of an agency above see across the agencies below, the notices they issue
    and the agencies' responses."""

    name = "sanxiang.supervision"
    label = "supervision"

    def ready(self):
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.supervision import selectors
        from sanxiang.supervision.flags import KINDS
        from sanxiang.supervision.models import Notice
        from sanxiang.supervision.services import LEDGER_ACTIONS

        ACTION_LABELS.register(LEDGER_ACTIONS)
        FACT_WORDS.register(
            words_of(Notice.Status, "status", subject="supervision.notice")
            | words_of(Notice.Kind, "kind", subject="supervision.notice")
            # the desk's flags a notice is about, "kind:id"
            | words_of([(key, kind.label) for key, kind in KINDS.items()], "records", subject="supervision.notice")
        )
        HISTORY_GATES.register({"supervision.notice": (selectors.notice_get_for_user, "notice_id")})
