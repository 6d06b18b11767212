from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Inspections, penalty cases and coercive measures: the procedure with its legal deadlines and gates."""

    name = "sanxiang.cases"
    label = "cases"
