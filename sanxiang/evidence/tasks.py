from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanxiang.evidence.services import evidence_scrub


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_scrub():
    """Re-hash every stored file each night (the last report is shown to administrators)."""
    evidence_scrub()
