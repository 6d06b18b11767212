from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Evidence files and the archived case file (执法全过程记录的音像与电子证据、案卷归档)."""

    name = "sanxiang.evidence"
    label = "evidence"
