from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """行政执法公示: what an agency publishes before and after enforcement, redacted, on time, corrected, withdrawn."""

    name = "sanxiang.publicity"
    label = "publicity"
