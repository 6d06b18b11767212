"""The log's head row, and triggers that refuse UPDATE and DELETE on entries, nodes and checkpoints.

The test suite alone may empty these tables between tests (PostgreSQL: the session setting
sanxiang.ledger_test_reset = on; SQLite: the connection function sanxiang_ledger_test_reset() returning 1, see
ledger/apps.py). Without that function a SQLite connection cannot change these tables at all.
"""

from django.db import migrations

TABLES = ["ledger_entry", "ledger_node", "ledger_checkpoint"]


def create_head(apps, schema_editor):
    apps.get_model("ledger", "LogHead").objects.create(id=1, size=0, frontier=b"", hash_algorithm="sha256")


def install_triggers(apps, schema_editor):
    def run(sql):
        schema_editor.execute(sql, None)  # no parameters: the "%" in RAISE is PL/pgSQL's, not a placeholder

    if schema_editor.connection.vendor == "postgresql":
        run(
            "CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF current_setting('sanxiang.ledger_test_reset', true) = 'on' THEN "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF; "
            "RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$"
        )
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
            run(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
            )
    else:
        for table in TABLES:
            for operation in ("UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    "WHEN NOT sanxiang_ledger_test_reset() "
                    f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: {operation} on {table} refused'); END"
                )


def remove_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            run(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        run("DROP FUNCTION IF EXISTS ledger_refuse_change()")
    else:
        for table in TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_no_update")
            run(f"DROP TRIGGER IF EXISTS {table}_no_delete")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
