"""Background work of the audit log (huey): the daily purge of events past retention."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanxiang.audit.services import audit_purge


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_expired_events():
    audit_purge()
