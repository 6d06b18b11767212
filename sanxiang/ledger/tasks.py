"""Background work of the ledger (huey)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanxiang.ledger.models import LogHead
from sanxiang.ledger.selectors import latest_checkpoint
from sanxiang.ledger.services import checkpoint_create


def checkpoint_if_due(now: dt.datetime | None = None):
    """Sign a checkpoint when the log has grown and the last one is older than LEDGER_CHECKPOINT_MINUTES."""
    now = now or timezone.now()
    latest = latest_checkpoint()
    size = LogHead.objects.values_list("size", flat=True).get(pk=1)
    if latest is not None and (
        latest.size == size or now - latest.created_at < dt.timedelta(minutes=settings.LEDGER_CHECKPOINT_MINUTES)
    ):
        return None
    return checkpoint_create()


@db_periodic_task(crontab())  # every minute; checkpoint_if_due decides whether one is needed
def periodic_checkpoint():
    checkpoint_if_due()
