from pathlib import Path

from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.backends.signals import connection_created

_made_private: set[str] = set()


def _private_database(sender, connection, **kwargs):
    """SQLite creates its file with the process's umask; keep it (and so its -wal and -shm, which SQLite gives the
    database file's mode) owner-only whatever process opened it first. Once per file and process: the file exists
    from the first connection on, and every later connection (each thread, each reconnect) would only repeat it."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    name = connection.settings_dict["NAME"]
    if name not in _made_private:
        from sanxiang.core.files import make_private_file

        make_private_file(Path(name))
        _made_private.add(name)


class CoreConfig(AppConfig):
    name = "sanxiang.core"
    label = "core"

    def ready(self):
        from sanxiang.core import checks  # noqa: F401 - registers the start-up checks
        from sanxiang.core.logs import request_began, request_ended

        connection_created.connect(_private_database, dispatch_uid="sanxiang.core.private_database")
        # around the whole handler, not only the middleware: Django logs a 4xx or 5xx answer after the middleware
        # has returned it, and that line must name its request too
        request_started.connect(request_began, dispatch_uid="sanxiang.core.request_began")
        request_finished.connect(request_ended, dispatch_uid="sanxiang.core.request_ended")
        from huey.contrib.djhuey import HUEY
        from huey.signals import SIGNAL_ERROR

        from sanxiang.core.metrics import task_failed

        HUEY.signal(SIGNAL_ERROR)(task_failed)  # counted in whichever process runs the task
