from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Inspections, penalty cases and coercive measures: the procedure with its legal deadlines and gates."""

    name = "sanxiang.cases"
    label = "cases"

    def ready(self):
        from sanxiang.cases import selectors
        from sanxiang.cases.models import (
            Act,
            Inspection,
            Outcome,
            Party,
            PartyKind,
            PenaltyKind,
            ServiceMethod,
            Source,
            Stage,
            Tier,
            Violation,
        )
        from sanxiang.cases.services import LEDGER_ACTIONS
        from sanxiang.cases.services.parties import PARTY_FIELDS
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.documents.hooks import act_officers
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(LEDGER_ACTIONS)
        FACT_WORDS.register(
            words_of(Stage, "stage")
            | words_of(Source, "source")
            | words_of(PartyKind, "kind")
            | words_of(Outcome, "outcome")
            | words_of(PenaltyKind, "kinds")
            | words_of(ServiceMethod, "method")
            | words_of(Act, "act")
            | words_of(Inspection.Status, "status", subject="cases.inspection")
            | words_of(Violation.FineBasis, "fine_basis")
            | words_of(Tier, "tier")
            | words_of([(field, Party._meta.get_field(field).verbose_name) for field in PARTY_FIELDS], "corrected")
        )
        HISTORY_GATES.register(
            {
                "cases.case": (selectors.case_get_for_user, "case_id"),
                "cases.party": (selectors.party_get_for_user, "party_id"),
            }
        )
        act_officers.register(selectors.ACT_OFFICERS)
