import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanxiang.monitoring.clue_evidence import pending_segments_add
from sanxiang.monitoring.clues import exceedances_find


@db_periodic_task(crontab(hour="0", minute="40"))
def daily_detection():
    """Judge yesterday once it is over (its hourly exceedances and its daily averages) and make the clues."""
    exceedances_find(day=timezone.localdate() - dt.timedelta(days=1))


@db_periodic_task(crontab(minute="*/10"))
def case_segments():
    """Add to their cases the hours of packets sealed since the cases were opened."""
    pending_segments_add()
