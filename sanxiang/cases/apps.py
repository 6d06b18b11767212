from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Inspections, penalty cases and coercive measures: the procedure with its legal deadlines and gates."""

    name = "sanxiang.cases"
    label = "cases"

    def ready(self):
        from sanxiang.cases import search, selectors
        from sanxiang.cases.models import (
            Act,
            CaseKind,
            Challenge,
            Closure,
            EmergencyGround,
            Inspection,
            OnSitePenalty,
            Outcome,
            Party,
            PartyKind,
            PenaltyKind,
            Preservation,
            ProductionMeasure,
            Seizure,
            ServiceMethod,
            SignatureStatus,
            Source,
            Stage,
            Suspension,
            Tier,
            Violation,
        )
        from sanxiang.cases.services import LEDGER_ACTIONS
        from sanxiang.cases.services.notice import WAIVERS
        from sanxiang.cases.services.parties import PARTY_FIELDS
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.core.references import SUBJECT_PAGES, SubjectPage
        from sanxiang.core.textindex import TEXT_INDEXES, Kept
        from sanxiang.documents.hooks import act_officers
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(LEDGER_ACTIONS)
        TEXT_INDEXES.register(
            {
                search.CASES.table: Kept(search.CASES, "案件（案号、案由、当事人）", search.cases_rebuild),
                search.PARTIES.table: Kept(
                    search.PARTIES, "监管对象名录（名称、信用代码、许可证编号）", search.parties_rebuild
                ),
            }
        )
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
            # a case's entries name the kind of the case, measure, suspension or challenge they record
            | words_of(
                [
                    *CaseKind.choices,
                    *Seizure.Kind.choices,
                    *ProductionMeasure.Kind.choices,
                    *Closure.Kind.choices,
                    *Suspension.Kind.choices,
                    *Challenge.Kind.choices,
                ],
                "kind",
                subject="cases.case",
            )
            | words_of(Closure.Ground, "ground", subject="cases.case")
            | words_of(Challenge.Outcome, "outcome", subject="cases.case")
            | words_of(Preservation.Decision, "decision", subject="cases.case")
            | words_of(list(WAIVERS.items()), "scope", subject="cases.case")
            | words_of(SignatureStatus, "signature", subject="cases.inspection")
            | words_of(EmergencyGround, "emergency", subject="cases.inspection")
            | words_of(OnSitePenalty.Kind, "kind", subject="cases.onsitepenalty")
            | words_of(OnSitePenalty.Status, "status", subject="cases.onsitepenalty")
        )
        HISTORY_GATES.register(
            {
                "cases.case": (selectors.case_get_for_user, "case_id"),
                "cases.party": (selectors.party_get_for_user, "party_id"),
            }
        )
        # what an evidence file or a document belongs to ("for": "cases.case:1")
        SUBJECT_PAGES.register(
            {
                "cases.case": SubjectPage(_("案件"), selectors.case_get_for_user, "case_id", "cases:case-detail"),
                "cases.inspection": SubjectPage(
                    _("现场检查"), selectors.inspection_get_for_user, "inspection_id", "cases:inspection-detail"
                ),
            }
        )
        act_officers.register(selectors.ACT_OFFICERS)
