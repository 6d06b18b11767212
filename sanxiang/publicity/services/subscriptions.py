"""Subscriptions to the portal's decisions (订阅): asked for with an e-mail address, confirmed from the message sent to
it (nothing else is sent before), cancelled from the link in every message — and the notices each publication,
correction and withdrawal queues for the confirmed subscribers, sent after the transaction commits.

Nothing here is ledgered: see `Subscription`. Nothing here has legal force either: a subscriber's notice is a
courtesy; what the law requires is the publication on the portal (《政府信息公开条例》, 《行政处罚法》第四十八条).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.core.outbox import deliver
from sanxiang.publicity.models import Publication, Subscription, SubscriptionNotice, Topic
from sanxiang.publicity.notify import notifier
from sanxiang.publicity.selectors import feed_subject

Event = SubscriptionNotice.Event

# A confirmation link is good for this long after it was sent; later, one asks again. Not a rule of law.
CONFIRM_DAYS = 7


def _url(name: str, *args) -> str:
    return f"{settings.PUBLIC_URL}{reverse(name, args=args)}"


def _normalise_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": ValidationError(_("请输入有效的电子邮箱地址。"), code="invalid_email")}
        ) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def subscription_request(*, email: str, topic: str, target: str) -> Subscription:
    """订阅: queue the confirmation message to `email` for following `target` (an enterprise's 统一社会信用代码, an
    agency's code, a kind of decision). Asking again for an open subscription sends the confirmation again if it is
    still unconfirmed and nothing if it is confirmed — the answer is the same either way, so the form tells nobody
    what an address follows. One address is sent at most SUBSCRIPTION_CONFIRMATIONS_PER_DAY confirmations a day."""
    email = _normalise_email(email)
    try:
        subject = feed_subject(topic=topic, target=target)
    except Http404:
        message = {
            Topic.ENTERPRISE: _("统一社会信用代码不正确，请核对。"),
            Topic.AGENCY: _("没有这个执法机关。"),
            Topic.KIND: _("没有这个决定类别。"),
        }.get(topic, _("请选择订阅内容。"))
        field = "target" if topic in Topic.values else "topic"
        raise ValidationError({field: ValidationError(message, code="unknown")}) from None
    now = timezone.now()
    sent_today = SubscriptionNotice.objects.filter(
        event=Event.CONFIRM, subscription__email=email, created_at__gte=now - dt.timedelta(days=1)
    ).count()
    if sent_today >= settings.SUBSCRIPTION_CONFIRMATIONS_PER_DAY:
        refused = _("该邮箱今天已收到多封确认邮件，请查收邮件或明天再试。")
        raise ValidationError({"email": ValidationError(refused, code="too_many_confirmations")})
    subscription = (
        Subscription.objects.select_for_update()
        .filter(email=email, topic=subject.topic, target=subject.target, cancelled_at__isnull=True)
        .first()
    )
    if subscription is not None and subscription.confirmed_at is not None:
        return subscription
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=email,
                    topic=subject.topic,
                    target=subject.target,
                    confirm_token=secrets.token_urlsafe(32),
                    unsubscribe_token=secrets.token_urlsafe(32),
                    requested_at=now,
                )
        except IntegrityError:  # the same request, twice at once: the other one sends the message
            return Subscription.objects.get(
                email=email, topic=subject.topic, target=subject.target, cancelled_at__isnull=True
            )
    else:
        subscription.requested_at = now
        subscription.save(update_fields=["requested_at"])
    notice = SubscriptionNotice.objects.create(
        subscription=subscription,
        event=Event.CONFIRM,
        subject=_("请确认订阅：%(title)s的执法决定公示") % {"title": subject.title},
        text=_(
            "您（或他人使用您的邮箱）在生态环境行政执法公示网站申请订阅%(what)s“%(title)s”的执法决定公示信息。\n"
            "确认订阅请打开：%(confirm)s\n"
            "该链接 %(days)d 日内有效。如非本人操作，请忽略本邮件，我们不会再向您发送任何邮件。\n"
            "退订：%(unsubscribe)s"
        )
        % {
            "what": subscription.get_topic_display(),
            "title": subject.title,
            "confirm": _url("portal:subscription-confirm", subscription.confirm_token),
            "days": CONFIRM_DAYS,
            "unsubscribe": _url("portal:subscription-cancel", subscription.unsubscribe_token),
        },
    )
    _send_after_commit([notice.pk])
    return subscription


def _expired(subscription: Subscription, now: dt.datetime) -> bool:
    return subscription.confirmed_at is None and now > subscription.requested_at + dt.timedelta(days=CONFIRM_DAYS)


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """确认订阅 from the link in the confirmation message: from now on each publication, correction and withdrawal it
    follows is e-mailed. Confirming twice changes nothing; a cancelled subscription or an expired link is refused."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if _expired(subscription, timezone.now()):  # also once subscriptions_expire has erased the address
        raise ValidationError(
            _("确认链接已过期（%(days)d 日内有效），请重新订阅。") % {"days": CONFIRM_DAYS}, code="expired"
        )
    if subscription.cancelled_at is not None:
        raise ValidationError(_("该订阅已退订，请重新订阅。"), code="cancelled")
    if subscription.confirmed_at is not None:
        return subscription
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> Subscription:
    """退订 from the link in any message, without an account: nothing more is sent, and the address is erased — the
    purpose it was kept for is gone (《个人信息保护法》第四十七条). Notices not yet sent are dropped. Cancelling twice
    changes nothing."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.cancelled_at is not None:
        return subscription
    subscription.cancelled_at, subscription.email = timezone.now(), ""
    subscription.save(update_fields=["cancelled_at", "email"])
    subscription.notices.filter(sent_at__isnull=True).update(error=_("已退订，未发送"))
    return subscription


@transaction.atomic
def subscriptions_expire(*, now: dt.datetime) -> int:
    """Erase the addresses of requests never confirmed within CONFIRM_DAYS: their owner gave no consent, and the link
    that could give it has expired, so nothing is left to keep them for (《个人信息保护法》第四十七条). The request
    is closed as a cancellation is (its unsent confirmation dropped); asking again starts afresh. Returns how many."""
    stale = Subscription.objects.filter(
        confirmed_at__isnull=True,
        cancelled_at__isnull=True,
        requested_at__lt=now - dt.timedelta(days=CONFIRM_DAYS),
    )
    SubscriptionNotice.objects.filter(subscription__in=stale, sent_at__isnull=True, error="").update(
        error=_("确认链接已过期，未发送")
    )
    return stale.update(cancelled_at=now, email="")


# What each move of a publication tells its followers.
NOTICE_WORDS = {
    Event.PUBLISHED: _("公示"),
    Event.CORRECTED: _("更正"),
    Event.WITHDRAWN: _("撤回"),
}


def followers(publication: Publication) -> list[Subscription]:
    """The confirmed, open subscriptions a publication concerns — of its enterprise, its agency or one above it, its
    kind —, one per address (the earliest), so that an address following it twice is told once."""
    follows = Q(topic=Topic.KIND, target=publication.kind) | Q(
        topic=Topic.AGENCY, target__in=publication.agency.lineage
    )
    if publication.party_uscc:
        follows |= Q(topic=Topic.ENTERPRISE, target=publication.party_uscc)
    seen, chosen = set(), []
    for subscription in Subscription.objects.filter(
        follows, confirmed_at__isnull=False, cancelled_at__isnull=True
    ).order_by("email", "id"):
        if subscription.email not in seen:
            seen.add(subscription.email)
            chosen.append(subscription)
    return chosen


def notices_queue(*, publication: Publication, event: str, reason: str = "") -> int:
    """Queue one notice per follower of `publication` for `event` (published, corrected, withdrawn), in the caller's
    transaction; the worker sends them once it commits. Only what the portal shows goes out: a withdrawn decision
    is named by its number and agency, without its party, as its notice on the portal is."""
    rows = []
    for subscription in followers(publication):
        text = _("%(agency)s%(word)s了%(title)s（%(number)s）。") % {
            "agency": publication.agency.name,
            "word": NOTICE_WORDS[event],
            "title": publication.title,
            "number": publication.number,
        }
        if event != Event.WITHDRAWN:
            text += _("\n行政相对人：%(party)s") % {"party": publication.party_name}
        if reason:
            text += (_("\n撤回原因：%(reason)s") if event == Event.WITHDRAWN else _("\n更正说明：%(reason)s")) % {
                "reason": reason
            }
        text += _("\n详情：%(url)s\n\n您订阅了%(what)s“%(target)s”的执法决定公示信息。退订：%(unsubscribe)s") % {
            "url": _url("public:decision", publication.pk),
            "what": subscription.get_topic_display(),
            "target": subscription.target,
            "unsubscribe": _url("portal:subscription-cancel", subscription.unsubscribe_token),
        }
        rows.append(
            SubscriptionNotice(
                subscription=subscription,
                publication=publication,
                event=event,
                subject=_("【%(word)s】%(number)s") % {"word": NOTICE_WORDS[event], "number": publication.number},
                text=text,
            )
        )
    if rows:
        created = SubscriptionNotice.objects.bulk_create(rows)
        _send_after_commit([row.pk for row in created])
    return len(rows)


def _send_after_commit(ids: list[int]) -> None:
    def queue():
        from sanxiang.publicity.tasks import send_subscription_notices  # the tasks module imports the services

        send_subscription_notices(ids)

    transaction.on_commit(queue, robust=True)


def notices_send(*, ids: list[int]) -> int:
    """Send the queued notices among `ids` through the configured notifier (publicity.notify), each recording when it
    went or why not; those sent already, or of a cancelled subscription, are left alone. Runs in the worker."""
    rows = SubscriptionNotice.objects.filter(
        pk__in=ids, sent_at__isnull=True, error="", subscription__cancelled_at__isnull=True
    ).select_related("subscription")
    return deliver(rows, notifier())
