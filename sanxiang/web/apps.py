from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sanxiang.web"
    label = "web"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from sanxiang.web.middleware import SessionTimeoutMiddleware

        # A session's clocks start at each login (Django keeps a same-user session's data across a new login).
        user_logged_in.connect(SessionTimeoutMiddleware.session_started, dispatch_uid="session-clock-start")
