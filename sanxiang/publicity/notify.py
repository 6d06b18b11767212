"""E-mailing subscribers (订阅): an interface, and the logging implementation of the embedded default.

The notices are outbox rows (`SubscriptionNotice`) written in the transaction of what they tell; once it commits, the
background worker (`publicity.tasks.send_subscription_notices`) sends them through the class the setting
`SUBSCRIPTION_NOTIFIER` names (`send(notice) -> None`, raising to report a failure) and each row records the time
it went or the failure. An installation with a mail relay supplies its own class; the default writes one log line
per notice naming the subscription and the subject, never the address.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings

from sanxiang.core.outbox import notifier_at
from sanxiang.publicity.models import SubscriptionNotice

log = logging.getLogger("sanxiang.publicity.notify")


class Notifier(Protocol):
    def send(self, notice: SubscriptionNotice) -> None:
        """E-mail `notice.subject` and `notice.text` to `notice.subscription.email`; raise on failure."""


class LoggingNotifier:
    """The embedded default: a log line instead of an e-mail (no mail relay is configured)."""

    def send(self, notice: SubscriptionNotice) -> None:
        log.info(
            "subscription notice %s for subscription %s (%s %s): %s",
            notice.event,
            notice.subscription_id,
            notice.subscription.topic,
            notice.subscription.target,
            notice.subject,
        )


def notifier() -> Notifier:
    return notifier_at(settings.SUBSCRIPTION_NOTIFIER)
