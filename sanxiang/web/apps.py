from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sanxiang.web"
    label = "web"
