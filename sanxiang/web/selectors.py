"""What is due for a user: the workbench home gathers each domain's due items here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sanxiang.agencies.models import Role
from sanxiang.agencies.selectors import certificates_expiring
from sanxiang.cases.deadlines import DUE_KINDS
from sanxiang.cases.selectors import cases_due, onsite_filings_due
from sanxiang.inspections.plan_selectors import results_due
from sanxiang.publicity.selectors import drafts_due_for_user
from sanxiang.reports.selectors import reports_due_for_user
from sanxiang.review.selectors import queue_for_user


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    subject: str
    due_on: dt.date
    url: str
    days_left: int
    provisional: bool = False
    handlers: str = ""  # 承办人, for a case

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def due_items_for_user(user, *, today: dt.date) -> list[DueItem]:
    """Everything with a date that this user should act on, earliest first."""
    window = settings.CERTIFICATE_EXPIRY_WARNING_DAYS
    items = [
        DueItem(
            kind=_("执法证到期"),
            title=_("%(holder)s 的执法证 %(number)s")
            % {"holder": certificate.holder.full_name, "number": certificate.number},
            subject=certificate.agency.name,
            due_on=certificate.expires_on,
            url=reverse("agencies:certificate-detail", args=[certificate.pk]),
            days_left=(certificate.expires_on - today).days,
        )
        for certificate in certificates_expiring(user=user, today=today, within_days=window)[:200]
    ]
    items += [
        DueItem(
            kind=str(DUE_KINDS.get(case.next_due_kind, case.next_due_kind)),
            title=f"{case.number or case.title} · {case.party.name}",
            subject=case.agency.name,
            due_on=case.next_due_on,
            url=reverse("cases:case-detail", args=[case.pk]),
            days_left=(case.next_due_on - today).days,
            provisional=case.next_due_provisional,
            handlers="、".join(person.full_name for person in case.investigators.all()),
        )
        for case in _cases_for(user, today).prefetch_related("investigators")[:200]
    ]
    items += [
        DueItem(
            kind=_("公示"),
            title=f"{publication.number} · {publication.party_name}",
            subject=publication.agency.name,
            due_on=publication.due_on,
            url=reverse("publicity:publication", args=[publication.pk]),
            days_left=(publication.due_on - today).days,
        )
        for publication in drafts_due_for_user(user, today=today)[:200]
    ]
    items += [
        DueItem(
            kind=_("法制审核"),
            title=_("%(case)s · %(party)s（第%(n)d轮）")
            % {"case": current.review.subject_number, "party": current.review.party_name, "n": current.number},
            subject=current.review.agency.name,
            due_on=current.due_on,
            url=reverse("review:review", args=[current.review_id]),
            days_left=(current.due_on - today).days,
            provisional=current.due_provisional,
        )
        for current in _reviews_for(user, today)[:200]
    ]
    items += [
        DueItem(
            kind=str(ONSITE_LABELS[step]),
            title=f"{penalty.number} · {penalty.party.name}",
            subject=penalty.agency.name,
            due_on=due_on,
            url=reverse("cases:onsite-list"),
            days_left=(due_on - today).days,
            provisional=step == "file" and penalty.filing_due_provisional,
        )
        for penalty, step, due_on in onsite_filings_due(user, today=today)
    ]
    items += [
        DueItem(
            kind=_("抽查结果公示"),
            title=_("%(plan)s：%(count)d 项抽查结果待公示") % {"plan": plan.title, "count": count},
            subject=plan.agency.name,
            due_on=due_on,
            url=reverse("plans:plan", args=[plan.pk]),
            days_left=(due_on - today).days,
        )
        for plan, count, due_on in results_due(user, today=today)
    ]
    items += [
        DueItem(
            kind=_("统计年报"),
            title=_("%(year)d年度行政执法统计年报（%(state)s）")
            % {"year": due.year, "state": due.report.get_status_display() if due.report else _("未生成")},
            subject=due.agency.name,
            due_on=due.due_on,
            url=reverse("reports:agency-year", args=[due.agency.pk, due.year]),
            days_left=(due.due_on - today).days,
        )
        for due in reports_due_for_user(user, today=today)
    ]
    return sorted(items, key=lambda item: item.due_on)


def _reviews_for(user, today: dt.date) -> list:
    """Reviewers see the rounds waiting in their queue; heads the ones past their review period."""
    if user.is_superuser or user.has_role(Role.REVIEWER):
        return [current for current in queue_for_user(user) if current.reviewer_id in (None, user.pk)]
    if user.has_role(Role.HEAD):
        return [current for current in queue_for_user(user) if current.due_on < today]
    return []


def _cases_for(user, today: dt.date):
    """Heads see every case of their agencies that is due; officers the cases they investigate."""
    due = cases_due(user, today=today)
    if user.is_superuser or user.has_role(Role.HEAD):
        return due
    return due.filter(investigators=user)


ONSITE_LABELS = {"file": _l("当场处罚报备案"), "acknowledge": _l("确认当场处罚备案")}
