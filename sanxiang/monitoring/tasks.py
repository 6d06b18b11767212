import datetime as dt

from django.utils import timezone
from huey import crontab

from sanxiang.core.periodic import periodic_task
from sanxiang.monitoring.clue_evidence import pending_segments_add
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.rollups import hours_roll_due
from sanxiang.monitoring.services import segments_seal


@periodic_task(crontab(hour="0", minute="40"))
def daily_detection():
    """Judge yesterday once it is over (its hourly exceedances and its daily averages) and make the clues."""
    exceedances_find(day=timezone.localdate() - dt.timedelta(days=1))


@periodic_task(crontab(minute="*/10"))
def case_segments():
    """Seal the hours that are over — here, not in the listener, whose writer would stop storing and answering while
    it copied an hour's file —, then add to their cases the hours sealed since the cases were opened."""
    segments_seal()
    pending_segments_add()


@periodic_task(crontab(minute="5-59/10"))
def hour_totals():
    """Make the totals of the hours that are over and changed, so that the day's detection reads totals, not every
    minute (between the sealing runs: both read the same hours' files and rows)."""
    hours_roll_due()
