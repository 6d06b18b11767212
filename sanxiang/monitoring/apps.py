from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """非现场执法: online monitoring data received over HJ 212-2017 and kept as evidence, exceedances found under the
    标记规则, and the clues they give the inspections app."""

    name = "sanxiang.monitoring"
    label = "monitoring"
