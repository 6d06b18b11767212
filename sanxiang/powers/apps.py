from django.apps import AppConfig


class PowersConfig(AppConfig):
    """执法事项库 / 权责清单: every enforcement power of an agency, with its legal basis, on which the catalogues of
    violations, review lines, inspection items and licence types hang."""

    name = "sanxiang.powers"
    label = "powers"
