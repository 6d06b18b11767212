from django.utils import timezone
from huey import crontab

from sanxiang.core.periodic import periodic_task
from sanxiang.web.services import notifications_send_due


@periodic_task(crontab(hour="7", minute="0"))
def send_due_notifications():
    """Each morning, after the night's deadline refresh."""
    notifications_send_due(today=timezone.localdate())
