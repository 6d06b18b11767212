"""Triggers that refuse UPDATE, TRUNCATE and the DELETE of any audit event younger than the legal minimum."""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from sanxiang.audit import triggers

    triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    from sanxiang.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install_triggers, remove_triggers)]
