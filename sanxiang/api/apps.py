from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanxiang.api"
    label = "api"
