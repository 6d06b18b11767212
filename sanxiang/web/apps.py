from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sanxiang.web"
    label = "web"

    def ready(self):
        from sanxiang.evidence.hooks import file_corrupted
        from sanxiang.web.services import notify_evidence_corrupted

        file_corrupted.register(notify_evidence_corrupted)
