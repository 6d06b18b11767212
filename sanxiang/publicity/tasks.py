"""Background work of the publicity app (huey)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanxiang.publicity.services import publications_expire


@db_periodic_task(crontab(hour="0", minute="15"))
def expire_publications():
    """Each night, just after midnight: records whose display period ended yesterday leave the portal."""
    publications_expire(today=timezone.localdate())
