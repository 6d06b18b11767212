from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Inspections as managed work (涉企行政检查): the items an agency may inspect on, 双随机 plans and draws, yearly
    caps, approval and notice, 扫码入企 codes with the enterprise's rating, and the officers' tasks."""

    name = "sanxiang.inspections"
    label = "inspections"
