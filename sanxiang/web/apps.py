from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sanxiang.web"
    label = "web"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from sanxiang.evidence.hooks import file_corrupted, review_voided
        from sanxiang.web.middleware import SessionTimeoutMiddleware
        from sanxiang.web.services import notify_evidence_corrupted, notify_review_voided

        file_corrupted.register(notify_evidence_corrupted)
        review_voided.register(notify_review_voided)
        # A session's clocks start at each login (Django keeps a same-user session's data across a new login).
        user_logged_in.connect(SessionTimeoutMiddleware.session_started, dispatch_uid="session-clock-start")
