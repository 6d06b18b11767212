"""The log's head row, and triggers that refuse UPDATE and DELETE (and TRUNCATE) on the ledger tables."""

from django.db import migrations

from sanxiang.ledger import triggers

ORIGINAL_TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint")  # the tables this migration found


def create_head(apps, schema_editor):
    apps.get_model("ledger", "LogHead").objects.create(id=1, size=0, frontier=b"", hash_algorithm="sha256")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        triggers.operation(ORIGINAL_TABLES),
    ]
