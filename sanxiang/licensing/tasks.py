"""Background work of licensing (huey): the clocks that act by themselves."""

from django.utils import timezone
from huey import crontab

from sanxiang.core.periodic import periodic_task
from sanxiang.licensing.services import applications_deem_accepted, applications_deem_renewed, licences_expire


@periodic_task(crontab(hour="0", minute="20"))
def licensing_clocks():
    """Each night: applications not decided on within 5 working days count as accepted (第三十二条); renewals not
    decided before the licence expired are deemed granted (第五十条), then licences past their term expire."""
    today = timezone.localdate()
    applications_deem_accepted(on=today)
    applications_deem_renewed(on=today)
    licences_expire(on=today)
