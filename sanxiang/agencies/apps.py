from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "sanxiang.agencies"
    label = "agencies"
