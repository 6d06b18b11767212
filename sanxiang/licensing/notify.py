"""Telling the applicant (短信、电子邮件): an interface, and the logging implementation of the embedded default.

A move writes its notice as an outbox row (`Notification`) in its own transaction; once that transaction commits
the configured notifier (`settings.LICENSING_NOTIFIER`, a class with `send(notification) -> None` that
raises to report a failure) sends it and the row records the time or the failure. A platform that has an SMS
gateway or a mail relay supplies its own class; the default writes one log line per notice, naming the channel and
the application but never the phone number or address.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction

from sanxiang.core.outbox import deliver, notifier_at
from sanxiang.licensing.models import Application, Notification

log = logging.getLogger("sanxiang.licensing.notify")


class Notifier(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver one notice to the applicant's phone (channel "sms") or mailbox ("email"); raise on failure."""


class LoggingNotifier:
    """The embedded default: a log line instead of a message (no gateway is configured)."""

    def send(self, notification: Notification) -> None:
        log.info(
            "licensing notice %s via %s for %s: %s",
            notification.event,
            notification.channel,
            notification.application.number,
            notification.text,
        )


def notifier() -> Notifier:
    return notifier_at(settings.LICENSING_NOTIFIER)


def tell(application: Application, *, event: str, text: str) -> None:
    """Queue the notice on every channel the applicant gave, and send it once the caller's transaction commits."""
    channels = ["sms"] + (["email"] if application.email else [])
    rows = [Notification.objects.create(application=application, event=event, channel=c, text=text) for c in channels]
    transaction.on_commit(lambda: _send(rows))


def _send(rows: list[Notification]) -> None:
    deliver(rows, notifier())
