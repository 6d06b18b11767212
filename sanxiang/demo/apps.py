from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sanxiang.demo"
    label = "demo"
