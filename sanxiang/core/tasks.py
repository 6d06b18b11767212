"""Background work of core (huey): sweeping the orphaned temporaries of crashed uploads and copies."""

from huey import crontab

from sanxiang.core.blobs import sweep_temporaries
from sanxiang.core.periodic import periodic_task


@periodic_task(crontab(minute="17"))
def sweep_temporary_files():
    """Hourly: spooled uploads and store temporaries older than TEMPORARY_FILES_MAX_AGE."""
    sweep_temporaries()
