from huey import crontab

from sanxiang.core.periodic import periodic_task
from sanxiang.evidence.services import evidence_scrub


@periodic_task(crontab(hour="2", minute="30"))
def nightly_scrub():
    """Re-hash every stored file each night (the last report is shown to administrators)."""
    evidence_scrub()
