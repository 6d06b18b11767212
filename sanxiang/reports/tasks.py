"""Background work of the reports (huey): the dashboards of the reporting agencies counted ahead of their heads, and
the PDF of each published report."""

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_task

from sanxiang.agencies.models import Agency
from sanxiang.core.periodic import periodic_task
from sanxiang.reports import dashboards
from sanxiang.reports.rendering import report_pdf_render
from sanxiang.reports.services import REPORTING_LEVELS


@periodic_task(crontab(minute="*/10"))
def dashboards_refresh():
    """Every ten minutes: the current year's dashboard of the province and of each city, and the portal's statistics,
    counted again and kept for DASHBOARD_CACHE_SECONDS (longer than ten minutes by default, so one is always ready)."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return
    today = timezone.localdate()
    for agency in Agency.objects.filter(level__in=REPORTING_LEVELS, is_active=True):
        dashboards.board(agency, today.year, today, refresh=True)
    dashboards.public_board(today.year, today, refresh=True)


@db_task(retries=1, retry_delay=60)
def render_report_pdf(report_id: int):
    """The PDF of a published edition, queued at its publication or asked for before it was made (reports.rendering)."""
    report_pdf_render(report_id=report_id)
