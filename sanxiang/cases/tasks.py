"""Background work of the cases app (huey)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_task

from sanxiang.agencies.models import User
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_file_pack_and_archive, case_refresh_deadlines
from sanxiang.core.periodic import periodic_task

logger = logging.getLogger("sanxiang.cases")


@periodic_task(crontab(hour="0", minute="5"))
def refresh_deadlines():
    """Each night: move every open case's next deadline on (a passed statement window makes way for the decision)."""
    case_refresh_deadlines()


@db_task()
def archive_case_file(case_id: int, actor_id: int | None, version: int | None):
    """Pack and archive a case asked for on its page (case_file_archive): minutes of work kept out of the request."""
    actor = User.objects.get(pk=actor_id) if actor_id else None
    try:
        case_file_pack_and_archive(actor=actor, case=Case.objects.get(pk=case_id), version=version)
    except Exception:
        logger.exception("archiving case %s failed; its page offers 归档 again", case_id)
        raise
