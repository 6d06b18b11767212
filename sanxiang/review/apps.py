from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """重大执法决定法制审核: submissions, the nine-point review, written opinions, rounds and coordination."""

    name = "sanxiang.review"
    label = "review"
