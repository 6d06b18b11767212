"""Demo subscriptions (订阅): three readers of the portal follow decisions by e-mail from early in the year — a
neighbour of the Harbin chemical works follows that enterprise, a journalist the Harbin bureau (with its branches),
a lawyer every 行政许可 — each asking on the portal's form and confirming from the message, through the services.
Every publication, correction and withdrawal after that leaves a notice for them in the outbox (sent by the
background worker through SANXIANG_SUBSCRIPTION_NOTIFIER; the embedded default logs it). A fourth asked and never
confirmed, and gets nothing but the confirmation. The addresses are fictional (example.com)."""

from __future__ import annotations

from sanxiang.publicity import services

# (days ago, address, topic, target: a party's name for an enterprise, confirmed)
READERS = [
    (400, "linju@example.com", "enterprise", "哈尔滨北方精细化工有限公司", True),
    (400, "jizhe@example.com", "agency", "230100", True),
    (380, "lvshi@example.com", "kind", "licence", True),
    (300, "weiqueren@example.com", "kind", "penalty", False),
]


def readers(story, staff, parties) -> None:
    for days_ago, email, topic, target, confirm in READERS:
        code = parties[target].uscc if topic == "enterprise" else target
        story.add(
            story.day(days_ago),
            lambda email=email, topic=topic, code=code, confirm=confirm: _ask(email, topic, code, confirm),
        )


def _ask(email: str, topic: str, target: str, confirm: bool) -> None:
    subscription = services.subscription_request(email=email, topic=topic, target=target)
    if confirm:
        services.subscription_confirm(subscription=subscription)
