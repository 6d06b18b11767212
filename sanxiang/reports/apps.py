from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """行政执法统计年报: the figures of every enforcement act counted from one set of definitions, the annual report
    generated from them, approved and published with the hash of its data, and the province's roll-up."""

    name = "sanxiang.reports"
    label = "reports"

    def ready(self):
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.reports import selectors, services
        from sanxiang.reports.models import AnnualReport

        ACTION_LABELS.register(services.LEDGER_ACTIONS)
        FACT_WORDS.register(words_of(AnnualReport.Status, "status", subject="reports.annualreport"))
        HISTORY_GATES.register({"reports.annualreport": (selectors.report_get_for_user, "report_id")})
