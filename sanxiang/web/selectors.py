"""What is due for a user: the workbench home gathers each domain's due items here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from sanxiang.agencies.selectors import certificates_expiring


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    subject: str
    due_on: dt.date
    url: str
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def due_items_for_user(user, *, today: dt.date) -> list[DueItem]:
    """Everything with a date that this user should act on, earliest first."""
    window = settings.CERTIFICATE_EXPIRY_WARNING_DAYS
    items = [
        DueItem(
            kind=_("执法证到期"),
            title=_("%(holder)s 的执法证 %(number)s") % {"holder": certificate.holder.full_name, "number": certificate.number},
            subject=certificate.agency.name,
            due_on=certificate.expires_on,
            url=reverse("agencies:certificate-detail", args=[certificate.pk]),
            days_left=(certificate.expires_on - today).days,
        )
        for certificate in certificates_expiring(user=user, today=today, within_days=window)[:200]
    ]
    return sorted(items, key=lambda item: item.due_on)
