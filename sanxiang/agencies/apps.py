from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    """Agencies, staff and their roles, enforcement certificates, and the reference data agencies administer."""

    name = "sanxiang.agencies"
    label = "agencies"

    def ready(self):
        from sanxiang.agencies import selectors, services, training_selectors
        from sanxiang.agencies.models import (
            Agency,
            AgencyLevel,
            CertificateStatus,
            EnforcementDomain,
            ExamResult,
            Role,
            ServiceWindow,
            TrainingKind,
            TrainingRecord,
            User,
        )
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES, ROLE_LABELS

        ACTION_LABELS.register(services.LEDGER_ACTIONS | services.TRAINING_ACTIONS)
        FACT_WORDS.register(
            words_of(AgencyLevel, "level")
            | words_of(Role, "roles")
            | words_of(CertificateStatus, "status", subject="agencies.certificate")
            | words_of(EnforcementDomain, "domain")
            | words_of(TrainingKind, "kind", subject="agencies.trainingrecord")
            | words_of(ExamResult, "exam_result", subject="agencies.trainingrecord")
        )
        for model in (Agency, ServiceWindow, TrainingRecord, User):  # "fields": the fields a change touched
            names = [(field.name, field.verbose_name) for field in model._meta.concrete_fields]
            FACT_WORDS.register(words_of(names, "fields", subject=model._meta.label_lower))
        ROLE_LABELS.register(dict(Role.choices))
        HISTORY_GATES.register(
            {
                "agencies.agency": (selectors.agency_get_for_user, "agency_id"),
                "agencies.user": (selectors.staff_get_for_user, "staff_id"),
                "agencies.certificate": (selectors.certificate_get_for_user, "certificate_id"),
                "agencies.servicewindow": (selectors.service_window_get_for_user, "window_id"),
                "agencies.trainingrecord": (training_selectors.training_record_get_for_user, "record_id"),
                "core.calendaryear": (selectors.calendar_year_get, "year"),
                "core.calendarday": (selectors.calendar_day_get, "day"),
            }
        )
