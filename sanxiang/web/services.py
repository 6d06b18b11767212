"""In-app notifications of deadlines (the workbench's bell)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Role, User
from sanxiang.cases.deadlines import DUE_KINDS
from sanxiang.cases.models import Case
from sanxiang.core.wording import deadline_words, last_day_words
from sanxiang.publicity.selectors import drafts_due
from sanxiang.review.selectors import latest_review, rounds_overdue
from sanxiang.web.models import Notification

SOON_DAYS = 3


def notifications_send_due(*, today: dt.date) -> int:
    """Notify the investigators of each open case, and the heads of its agency and those above, when a deadline is
    within three days or has passed; and the heads and the reviewer when a legal review is overdue. Each (person,
    subject, deadline) is notified once; returns how many were sent."""
    cases = (
        Case.objects.filter(next_due_on__isnull=False, next_due_on__lte=today + dt.timedelta(days=SOON_DAYS))
        .select_related("agency", "party")
        .prefetch_related("investigators")
    )
    sent = 0
    for case in cases.iterator(chunk_size=500):
        recipients = _heads(case.agency) | {user.pk for user in case.investigators.all() if user.is_active}
        overdue = case.next_due_on < today
        label = DUE_KINDS.get(case.next_due_kind, case.next_due_kind)
        title = (
            _("已逾期：%(label)s，期限至 %(date)s · %(case)s")
            if overdue
            else _("即将到期：%(label)s，%(date)s · %(case)s")
        ) % {
            "label": label,
            "date": last_day_words(case.next_due_on) if overdue else deadline_words(case.next_due_on),
            "case": case.number or case.title,
        }
        key = f"case:{case.pk}:{case.next_due_kind}:{case.next_due_on}:{'overdue' if overdue else 'soon'}"
        sent += _notify(
            recipients,
            key=key,
            title=title,
            url=reverse("cases:case-detail", args=[case.pk]),
            due_on=case.next_due_on,
            overdue=overdue,
        )
    for current in rounds_overdue(today=today):
        review = current.review
        recipients = _heads(review.agency) | ({current.reviewer_id} if current.reviewer_id else set())
        title = _("法制审核已逾期，期限至 %(date)s · %(case)s 第%(n)d轮") % {
            "date": last_day_words(current.due_on),
            "case": review.subject_number,
            "n": current.number,
        }
        sent += _notify(
            recipients,
            key=f"review:{current.pk}:{current.due_on}:overdue",
            title=title,
            url=reverse("review:review", args=[review.pk]),
            due_on=current.due_on,
            overdue=True,
        )
    clerks: dict[int, set[int]] = {}  # per agency: its publicity clerks and the heads above, asked once
    for publication in drafts_due(today=today, soon_days=SOON_DAYS).iterator(chunk_size=500):
        if publication.agency_id not in clerks:
            clerks[publication.agency_id] = _heads(publication.agency) | set(
                User.objects.filter(
                    is_active=True,
                    role_assignments__role=Role.PUBLICITY_CLERK,
                    agency=publication.agency,
                ).values_list("pk", flat=True)
            )
        recipients = clerks[publication.agency_id]
        overdue = publication.due_on < today
        title = (
            _("公示已逾期，期限至 %(date)s · %(number)s") if overdue else _("公示即将到期，%(date)s · %(number)s")
        ) % {
            "date": last_day_words(publication.due_on) if overdue else deadline_words(publication.due_on),
            "number": publication.number,
        }
        key = f"publication:{publication.pk}:{publication.due_on}:{'overdue' if overdue else 'soon'}"
        sent += _notify(
            recipients,
            key=key,
            title=title,
            url=reverse("publicity:publication", args=[publication.pk]),
            due_on=publication.due_on,
            overdue=overdue,
        )
    return sent


def notify_evidence_corrupted(*, item, found: str) -> int:
    """Alert the administrators and heads of an evidence file's agency that its stored bytes no longer match the
    SHA-256 it was registered with (or are missing), once per finding (evidence.hooks.file_corrupted)."""
    recipients = set(
        User.objects.filter(
            is_active=True, role_assignments__role__in=[Role.ADMIN, Role.HEAD], agency_id=item.agency_id
        ).values_list("pk", flat=True)
    )
    owner = item.case.number if item.case_id and item.case.number else ""
    title = (_("证据文件校验失败（%(state)s），已停止下载：%(owner)s证据%(number)d %(name)s，请从备份恢复")) % {
        "state": _("文件已损坏") if found else _("文件缺失"),
        "owner": f"{owner} " if owner else "",
        "number": item.number,
        "name": item.original_name,
    }
    return _notify(
        recipients,
        key=f"evidence:{item.pk}:corrupted:{found[:16] or 'missing'}",
        title=title[:300],
        url=reverse("evidence:item", args=[item.pk]),
        due_on=timezone.localdate(),
        overdue=True,
    )


def notify_review_voided(*, case, item) -> int:
    """Tell the reviewer and the handling unit that evidence added after the review agreed voided the agreement: the
    decision waits for a new review (evidence.hooks.review_voided)."""
    review = latest_review(case)
    reviewers = set(review.rounds.exclude(reviewer=None).values_list("reviewer_id", flat=True)) if review else set()
    handlers = set(case.investigators.values_list("pk", flat=True))
    title = _(
        "%(case)s 在法制审核同意后补充了证据 %(number)d（%(name)s），审核意见不再覆盖，须重新送审后才能作出决定"
    ) % {
        "case": case.number or case.title,
        "number": item.number,
        "name": item.original_name,
    }
    return _notify(
        (reviewers | handlers) - {item.recorded_by_id},
        key=f"review:{review.pk if review else 0}:voided:{item.pk}",
        title=title[:300],
        url=reverse("cases:case-detail", args=[case.pk]),
        due_on=timezone.localdate(),
        overdue=False,
    )


def _heads(agency) -> set[int]:
    """The heads of the agency and of the agencies above it."""
    return set(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.HEAD, agency__code__in=agency.lineage
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def _notify(recipients: set[int], *, key: str, title: str, url: str, due_on: dt.date, overdue: bool) -> int:
    existing = set(Notification.objects.filter(key=key, user_id__in=recipients).values_list("user_id", flat=True))
    Notification.objects.bulk_create(
        Notification(user_id=user_id, key=key, title=title, url=url, due_on=due_on, overdue=overdue)
        for user_id in recipients - existing
    )
    return len(recipients - existing)


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(Q(user=user) & Q(read_at__isnull=True)).update(read_at=timezone.now())
