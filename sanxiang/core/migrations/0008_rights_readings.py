"""The statement and hearing-request periods are separate clocks, and the reading of "举行听证的七日前" is stated."""

from django.db import migrations


def restate(apps, schema_editor):
    from sanxiang.core.rules_data import refresh_texts

    refresh_texts(
        apps.get_model("core", "Rule"),
        {"notice.statement_workdays", "hearing.request_workdays", "hearing.notice_workdays"},
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_rule_bounds")]

    operations = [migrations.RunPython(restate, migrations.RunPython.noop)]
