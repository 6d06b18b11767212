"""Background work of the audit log (huey): the daily purge of events past retention."""

from huey import crontab

from sanxiang.audit.services import audit_purge
from sanxiang.core.periodic import periodic_task


@periodic_task(crontab(hour="3", minute="30"))
def purge_expired_events():
    audit_purge()
