"""The database triggers that make the ledger tables append-only (installed by migration ledger.0002)."""

TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint", "ledger_cosignature", "ledger_timestamp")


def install(connection, tables=TABLES) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No parameters are passed, so the "%" below is PL/pgSQL's, not a placeholder.
            cursor.execute(
                "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$"
            )
            for table in tables:
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
                )
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
                )
        else:
            for table in tables:
                for operation in ("UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} BEGIN "
                        f"SELECT RAISE(ABORT, 'the ledger is append-only: {operation} on {table} refused'); END"
                    )


def remove(connection, tables=TABLES) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def operation(tables):
    """The migration step that installs the triggers on `tables` (and removes them when migrating back): each
    migration names the tables it creates, so a later table never meets an earlier migration."""
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, schema_editor: install(schema_editor.connection, tables),
        lambda apps, schema_editor: remove(schema_editor.connection, tables),
    )
