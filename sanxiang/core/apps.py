from pathlib import Path

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _private_database(sender, connection, **kwargs):
    """SQLite creates its file with the process's umask; keep it (and so its -wal and -shm, which SQLite gives the
    database file's mode) owner-only whatever process opened it first."""
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        from sanxiang.core.files import make_private_file

        make_private_file(Path(connection.settings_dict["NAME"]))


class CoreConfig(AppConfig):
    name = "sanxiang.core"
    label = "core"

    def ready(self):
        from sanxiang.core import checks  # noqa: F401 - registers the start-up checks

        connection_created.connect(_private_database, dispatch_uid="sanxiang.core.private_database")
