from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanxiang.core"
    label = "core"
