"""Background work of the cases app (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanxiang.cases.services import case_refresh_deadlines


@db_periodic_task(crontab(hour="0", minute="5"))
def refresh_deadlines():
    """Each night: move every open case's next deadline on (a passed statement window makes way for the decision)."""
    case_refresh_deadlines()
