from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """行政执法公示: what an agency publishes after enforcement, redacted, on time, corrected, withdrawn."""

    name = "sanxiang.publicity"
    label = "publicity"

    def ready(self):
        from sanxiang.cases.hooks import decision_changed, decision_issued
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.core.textindex import TEXT_INDEXES, Kept
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.licensing import hooks as licensing
        from sanxiang.publicity import search, selectors
        from sanxiang.publicity.models import Kind, Publication
        from sanxiang.publicity.services import (
            LEDGER_ACTIONS,
            publication_decision_changed,
            publication_licence_changed,
            publication_licence_open,
            publication_open,
        )
        from sanxiang.publicity.services.lifecycle import publications_reindex

        decision_issued.register(publication_open)
        decision_changed.register(publication_decision_changed)
        licensing.decision_issued.register(publication_licence_open)
        licensing.decision_changed.register(publication_licence_changed)
        ACTION_LABELS.register(LEDGER_ACTIONS)
        TEXT_INDEXES.register({search.INDEX.table: Kept(search.INDEX, "公示的行政执法决定", publications_reindex)})
        FACT_WORDS.register(
            words_of(Publication.Status, "status", subject="publicity.publication")
            | words_of(Publication.Source, "source", subject="publicity.publication")
            | words_of(Kind, "kind", subject="publicity.publication")
        )
        HISTORY_GATES.register({"publicity.publication": (selectors.publication_get_for_user, "publication_id")})
