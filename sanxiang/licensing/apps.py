from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    """行政许可: licence types as data (the 办事指南), the procedure of 《行政许可法》 from application to service with
    its clocks, and the licence's later changes, renewals and end."""

    name = "sanxiang.licensing"
    label = "licensing"

    def ready(self):
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.core.references import SUBJECT_PAGES, SubjectPage
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.licensing import selectors, services
        from sanxiang.licensing.models import UNIT_WORDS, Application, Examination, HearingRule, Licence, Pause
        from sanxiang.licensing.services import types

        ACTION_LABELS.register(services.LEDGER_ACTIONS | types.LEDGER_ACTIONS)
        FACT_WORDS.register(
            words_of(Application.Status, "status", subject="licensing.application")
            | words_of(Application.Kind, "kind", subject="licensing.application")
            | words_of(Pause.Kind, "kind", subject="licensing.application")
            | words_of(Examination.Kind, "kind", subject="licensing.application")
            | words_of(HearingRule, "hearing", subject="licensing.licencetype")
            | words_of(list(UNIT_WORDS.items()), "decision_unit", subject="licensing.licencetype")
            | words_of(Application.Channel, "channel", subject="licensing.application")
            | words_of(Licence.Status, "status", subject="licensing.licence")
            | words_of(list(services.REJECT_GROUNDS.items()), "ground", subject="licensing.application")
            | words_of(
                list((services.RECALL_GROUNDS | services.REVOKE_GROUNDS | services.CANCEL_GROUNDS).items()),
                "ground",
                subject="licensing.licence",
            )
            | words_of(list(services.SERVICE_METHODS.items()), "method", subject="licensing.application")
        )
        HISTORY_GATES.register(
            {
                "licensing.application": (selectors.application_get_for_user, "application_id"),
                "licensing.licence": (selectors.licence_get_for_user, "licence_id"),
                "licensing.licencetype": (selectors.licence_type_get_for_user, "type_id"),
            }
        )
        # what a document belongs to ("for": "licensing.application:3")
        SUBJECT_PAGES.register(
            {
                "licensing.application": SubjectPage(
                    _("许可申请"), selectors.application_get_for_user, "application_id", "licensing:application"
                ),
                "licensing.licence": SubjectPage(
                    _("许可证"), selectors.licence_get_for_user, "licence_id", "licensing:licence"
                ),
            }
        )
