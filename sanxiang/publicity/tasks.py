"""Background work of the publicity app (huey)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_task

from sanxiang.core.periodic import periodic_task
from sanxiang.publicity.rendering import version_pdf_render
from sanxiang.publicity.services import notices_send, publications_expire, subscriptions_expire


@periodic_task(crontab(hour="0", minute="15"))
def expire_publications():
    """Each night, just after midnight: records whose display period ended yesterday leave the portal."""
    publications_expire(today=timezone.localdate())


@periodic_task(crontab(hour="0", minute="20"))
def expire_subscription_requests():
    """Each night: the addresses of subscription requests not confirmed in time are erased."""
    subscriptions_expire(now=timezone.now())


@db_task(retries=1, retry_delay=60)
def render_version_pdf(version_id: int):
    """The PDF of a published version, asked for on the portal (publicity.rendering.version_pdf)."""
    version_pdf_render(version_id=version_id)


@db_task(retries=2, retry_delay=300)
def send_subscription_notices(ids: list[int]):
    """E-mail the subscription notices a committed transaction queued (publicity.services.subscriptions)."""
    notices_send(ids=ids)
