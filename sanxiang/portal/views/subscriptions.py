"""Following decisions on the portal (no login): an Atom feed for an enterprise (by its 统一社会信用代码), an agency
(with the agencies under it) or a kind of decision, and e-mail subscriptions to the same — asked for on a form,
confirmed from the message sent to the address, cancelled from the link in every message. The feeds read only what
publicity.selectors lets the portal show; confirming and cancelling are POSTs behind a one-button page, so that a
mail scanner opening the link changes nothing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.api.throttling import SubscriptionRateThrottle, login_throttled
from sanxiang.core.forms import run_service
from sanxiang.publicity import selectors, services
from sanxiang.publicity.forms import SubscriptionForm
from sanxiang.publicity.models import Kind, Topic
from sanxiang.publicity.services.subscriptions import CONFIRM_DAYS

FEED_NAMES = {
    Topic.ENTERPRISE: "public:feed-enterprise",
    Topic.AGENCY: "public:feed-agency",
    Topic.KIND: "public:feed-kind",
}


def feed_url(topic: str, target: str) -> str:
    return reverse(FEED_NAMES[topic], args=[target])


@login_not_required
@require_GET
def feed(request, topic: str, target: str):
    """The Atom feed of one enterprise, agency or kind: its latest 50 publications, corrections and withdrawals. An
    unknown or malformed code is a 404 page that says what a code looks like."""
    try:
        subject = selectors.feed_subject(topic=topic, target=target)
    except Http404:
        context = {"topic": topic, "kinds": Kind.choices}
        return render(request, "portal/subscriptions/unknown.html", context, status=404)
    events = selectors.feed_events(scope=subject.scope)
    return render(
        request,
        "portal/decisions/feed.xml",
        {
            "events": events,
            "updated": events[0]["time"] if events else timezone.now(),
            "feed_title": _("生态环境行政执法公示：%(title)s") % {"title": subject.title},
            "feed_path": feed_url(subject.topic, subject.target),
            "subscribe_path": f"{reverse('portal:subscribe')}?topic={subject.topic}&target={subject.target}",
        },
        content_type="application/atom+xml; charset=utf-8",
    )


def _too_many(request, wait: int):
    """Over the rate: the form again with what was typed, and how long to wait."""
    return render(
        request, "portal/subscriptions/subscribe.html", {"form": SubscriptionForm(request.POST), "wait": wait}
    )


def _subscribe(request):
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if run_service(form, lambda data: services.subscription_request(**data)) is not None:
            return redirect("portal:subscription-requested")
        status = 400
    else:
        topic, target = request.GET.get("topic", ""), request.GET.get("target", "")
        field = "kind" if topic == Topic.KIND else "target"  # a kind's link names it by its code: the list shows it
        form = SubscriptionForm(initial={"topic": topic, field: target})
        status = 200
    subject = None
    try:  # the page names what the link it was opened from follows
        subject = selectors.feed_subject(topic=request.GET.get("topic", ""), target=request.GET.get("target", ""))
    except Http404:
        pass
    context = {"form": form, "subject": subject, "topic_label": Topic(subject.topic).label if subject else ""}
    return render(request, "portal/subscriptions/subscribe.html", context, status=status)


subscribe = login_not_required(
    require_http_methods(["GET", "POST"])(
        login_throttled(_subscribe, refused=_too_many, throttle_class=SubscriptionRateThrottle)
    )
)


@login_not_required
@require_GET
def requested(request):
    return render(request, "portal/subscriptions/requested.html", {"days": CONFIRM_DAYS})


def _by_token(request, token: str, purpose: str):
    try:
        return selectors.subscription_by_token(token=token, purpose=purpose)
    except Http404:
        return None


def _subject(subscription) -> str:
    try:
        return selectors.feed_subject(topic=subscription.topic, target=subscription.target).title
    except Http404:  # an agency closed since
        return subscription.target


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """确认订阅: the page of the link in the confirmation message, whose button confirms."""
    subscription = _by_token(request, token, "confirm")
    if subscription is None:
        return render(request, "portal/subscriptions/bad_link.html", {}, status=404)
    error, status = "", 200
    if request.method == "POST":
        try:
            subscription = services.subscription_confirm(subscription=subscription)
        except ValidationError as refused:
            error, status = refused.messages[0], 400
    context = {"subscription": subscription, "title": _subject(subscription), "error": error}
    return render(request, "portal/subscriptions/confirm.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    """退订: the page of the link in every message, whose one button cancels — no account, no password."""
    subscription = _by_token(request, token, "unsubscribe")
    if subscription is None:
        return render(request, "portal/subscriptions/bad_link.html", {}, status=404)
    if request.method == "POST":
        subscription = services.subscription_cancel(subscription=subscription)
    context = {"subscription": subscription, "title": _subject(subscription)}
    return render(request, "portal/subscriptions/cancel.html", context)
