"""Consistent copies of the configured database and their restore: SQLite through its online backup API, PostgreSQL
through pg_dump / pg_restore with the configured connection.

Both copy the database as the engine stores it. A dumpdata/loaddata round trip does not: it cuts times to
milliseconds and the restored ledger no longer matches its hashes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from sanxiang.core.backup.manifest import BackupError

DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Connection OPTIONS that are libpq parameters; the others (pool, isolation_level, …) are psycopg's or Django's.
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslpassword",
    "channel_binding",
    "gssencmode",
    "connect_timeout",
    "application_name",
    "target_session_attrs",
    "options",
    "passfile",
    "service",
}


def vendor() -> str:
    if connection.vendor not in DUMP_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（仅支持 SQLite 和 PostgreSQL）。")
    return connection.vendor


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded in the configured database, by app (empty before the first migrate)."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def known_migrations() -> set[tuple[str, str]]:
    """The migrations this version of the program ships."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def has_tables() -> bool:
    return bool(connection.introspection.table_names())


def has_users() -> bool:
    user = get_user_model()
    if user._meta.db_table not in connection.introspection.table_names():
        return False
    return user.objects.exists()


def database_dump(*, target: Path) -> None:
    """Copy the configured database to `target` as one consistent snapshot, while the site keeps running."""
    if vendor() == "sqlite":
        _sqlite_copy(source=Path(connection.settings_dict["NAME"]), target=target)
        return
    _run("pg_dump", "--format=custom", "--compress=6", f"--file={target}", _pg_conninfo())
    os.chmod(target, 0o600)


def database_load(*, source: Path) -> None:
    """Put the copy at `source` in place of the configured (empty) database."""
    connection.close()
    if vendor() == "sqlite":
        _sqlite_copy(source=source, target=Path(connection.settings_dict["NAME"]), private=False)
        return
    # --clean --if-exists: the target may already hold the empty tables of a `migrate`; nothing else is dropped.
    # One transaction, so a failed restore leaves the database as it was.
    _run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={_pg_conninfo()}",
        str(source),
    )


def _sqlite_copy(*, source: Path, target: Path, private: bool = True) -> None:
    if not source.is_file():
        raise BackupError(f"找不到 SQLite 数据库文件：{source}")
    if private:
        target.touch(mode=0o600)
    # One step copies a snapshot under a read transaction: writers go on (WAL), and the copy is never restarted by them.
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)) as reader:
        with closing(sqlite3.connect(target, timeout=20)) as writer:
            reader.backup(writer)
            if private:  # the copy is one self-contained file, without -wal and -shm beside it
                writer.execute("PRAGMA journal_mode=DELETE")
    if private:
        os.chmod(target, 0o600)


def _pg_conninfo() -> str:
    settings = connection.settings_dict
    values = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "dbname": settings["NAME"],
        **{key: value for key, value in settings.get("OPTIONS", {}).items() if key in LIBPQ_OPTIONS},
    }

    def quoted(value) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{key}={quoted(value)}" for key, value in values.items() if value not in ("", None))


def _run(program: str, *args: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"找不到 {program}：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install postgresql-client）。"
        )
    environment = dict(os.environ)
    # The password goes through the environment, never the command line other users can read in `ps`.
    if connection.settings_dict["PASSWORD"]:
        environment["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    result = subprocess.run([executable, *args], env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} 失败（退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}")
