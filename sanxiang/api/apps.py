from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The toolkit of API v1 (bearer tokens, errors, bodies validated by forms, workflow action endpoints); each
    domain app serves its own endpoints from its api_urls."""

    name = "sanxiang.api"
    label = "api"

    def ready(self):
        from sanxiang.api.services import LEDGER_ACTIONS
        from sanxiang.ledger.vocabulary import ACTION_LABELS

        ACTION_LABELS.register(LEDGER_ACTIONS)
