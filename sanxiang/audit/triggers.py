"""Database triggers that make the security audit log append-only (installed by migration audit.0002).

UPDATE is always refused; DELETE only of rows older than the legal minimum (retention.MINIMUM_RETENTION_DAYS,
measured by the database's own clock), so that even someone with the application's database account cannot
remove a recent event. The retention purge (services.audit_purge) deletes only rows past the configured retention,
which the settings never allow below that minimum.
"""

from sanxiang.audit.retention import MINIMUM_RETENTION_DAYS

TABLE = "audit_auditevent"


def install(connection) -> None:
    days = int(MINIMUM_RETENTION_DAYS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No parameters are passed, so the "%" below is PL/pgSQL's, not a placeholder.
            cursor.execute(
                "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP = 'DELETE' AND OLD.time < now() - interval '{days} days' THEN RETURN OLD; END IF; "
                "RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()"
            )
        else:
            # Django stores times in SQLite as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]", which sorts as
            # datetime('now') does.
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} BEGIN "
                f"SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on {TABLE} refused'); END"
            )
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
                f"WHEN OLD.time >= datetime('now', '-{days} days') BEGIN "
                f"SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on {TABLE} refused'); END"
            )


def remove(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
