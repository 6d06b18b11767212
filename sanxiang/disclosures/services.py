"""Pre-disclosure items (事前公开): collected (采集) by the agency's staff, reviewed (审核) by a head or publicity clerk
other than the collector, published (发布) by a publicity clerk or head, and withdrawn (撤下) with a reason.

"谁执法谁公示": only the agency's own staff act on its items. One function per move of DISCLOSURE, each locking the
item, checking the move against the table, applying it and ledgering it in one transaction; publishing and
withdrawing are public ledger entries.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency, Role
from sanxiang.core.errors import RuleViolation
from sanxiang.core.text import reason_check
from sanxiang.disclosures.models import Disclosure, DisclosureVersion
from sanxiang.ledger.transitions import NEW, Move, StateMachine

UNPUBLISHED, PUBLISHED, WITHDRAWN = (
    Disclosure.Status.UNPUBLISHED,
    Disclosure.Status.PUBLISHED,
    Disclosure.Status.WITHDRAWN,
)
DUTIES = "黑环发〔2019〕112号 三(一)（明确公示内容的采集、审核、发布职责）"


class DisclosureMachine(StateMachine):
    def facts(self, record: Disclosure) -> dict:
        return {"category": record.category, "version": record.version}


# A withdrawn item comes back with a new version, reviewed and published.
DISCLOSURE = DisclosureMachine(
    model=Disclosure,
    prefix="disclosure",
    related=("agency",),
    conflict=gettext_lazy("该事项已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("该事项当前状态为“%(state)s”，不能进行此项操作。"),
    moves={
        "collect": Move({NEW, UNPUBLISHED, PUBLISHED, WITHDRAWN}, None, gettext_lazy("采集事前公开信息")),
        "review": Move({UNPUBLISHED, PUBLISHED, WITHDRAWN}, None, gettext_lazy("审核事前公开信息")),
        "publish": Move({UNPUBLISHED, PUBLISHED, WITHDRAWN}, PUBLISHED, gettext_lazy("发布事前公开信息")),
        "withdraw": Move({PUBLISHED}, WITHDRAWN, gettext_lazy("撤下事前公开信息")),
    },
)
LEDGER_ACTIONS = DISCLOSURE.labels()

APPROVING_ROLES = {Role.HEAD, Role.PUBLICITY_CLERK}
NOT_OWN_STAFF = gettext_lazy("只有本机关工作人员可以采集本机关的公开信息（谁执法谁公示）。")


def may_collect(user, agency: Agency) -> bool:
    """Any active staff member of the agency itself collects its items; other agencies publish their own."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.agency_id == agency.pk)


def may_approve(user, agency: Agency) -> bool:
    """Reviewing, publishing and withdrawing: the agency's own heads and publicity clerks."""
    return may_collect(user, agency) and bool(APPROVING_ROLES & user.roles)


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _lock(disclosure: Disclosure, move: str, version: int | None) -> tuple[Disclosure, DisclosureVersion | None]:
    """The item locked for `move`, with its pending version (the one not yet published), if any."""
    locked = DISCLOSURE.lock(disclosure, move, version=version)
    return locked, locked.versions.filter(published_at__isnull=True).first()


def _commit(actor, disclosure: Disclosure, move: str, text: DisclosureVersion, *, public: bool = False, **data) -> int:
    facts = {"version_number": text.number, "sha256": _digest(text)} | data
    return DISCLOSURE.commit(actor, disclosure, move, facts, public=public)


def _digest(text: DisclosureVersion) -> str:
    """The hash of what a version says (title and body), so the ledger pins the published text without holding it."""
    return hashlib.sha256(f"{text.title}\n{text.body}".encode()).hexdigest()


def _cleaned(*, title: str, body: str, note: str, first: bool) -> tuple[str, str, str]:
    title, body, note = title.strip(), body.strip(), note.strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写标题。")
    elif len(title) > 200:
        errors["title"] = _("标题不能超过 200 字。")
    if not body:
        errors["body"] = _("请填写公开的内容。")
    if not first and not note:
        errors["note"] = _("请写明修改说明（将随新版本一并公开）。")
    elif len(note) > 300:
        errors["note"] = _("修改说明不能超过 300 字。")
    if errors:
        raise ValidationError(errors)
    return title, body, note


@transaction.atomic
def disclosure_collect(
    *,
    actor,
    title: str,
    body: str,
    note: str = "",
    disclosure: Disclosure | None = None,
    agency: Agency | None = None,
    category: str = "",
    order: int = 0,
    version: int | None = None,
) -> DisclosureVersion:
    """采集: a new item of `agency` in `category`, or a new text of `disclosure` waiting for review.

    An item has at most one text waiting: collecting again replaces it, and a replaced text needs a new review.
    A text after the first needs a 修改说明, which is published with it.
    """
    if disclosure is None:
        _require(agency is not None and may_collect(actor, agency), NOT_OWN_STAFF)
        if category not in Disclosure.Category.values:
            raise ValidationError({"category": _("请选择公开类别。")})
        if not 0 <= order <= 999:
            raise ValidationError({"order": _("排序应为 0 到 999 之间的整数。")})
        title, body, note = _cleaned(title=title, body=body, note=note, first=True)
        disclosure = DISCLOSURE.start(
            Disclosure.objects.create(agency=agency, category=category, title=title, order=order), "collect"
        )
        pending = None
    else:
        disclosure, pending = _lock(disclosure, "collect", version)
        _require(may_collect(actor, disclosure.agency), NOT_OWN_STAFF)
        first = not disclosure.versions.filter(published_at__isnull=False).exists()
        title, body, note = _cleaned(title=title, body=body, note=note, first=first)
        disclosure.title = title
    text = pending or DisclosureVersion(disclosure=disclosure, number=disclosure.versions.count() + 1)
    text.title, text.body, text.note = title, body, note
    text.collected_by, text.collected_at, text.reviewed_by, text.reviewed_at = actor, timezone.now(), None, None
    text.save()
    _commit(actor, disclosure, "collect", text, replaced=pending is not None)
    return text


@transaction.atomic
def disclosure_review(*, actor, disclosure: Disclosure, version: int | None = None) -> DisclosureVersion:
    """审核: a head or publicity clerk of the agency approves the waiting text; never the person who collected it."""
    disclosure, pending = _lock(disclosure, "review", version)
    _require(may_approve(actor, disclosure.agency), _("只有本机关的负责人或公示管理员可以审核公开信息。"))
    if pending is None or pending.reviewed_at is not None:
        raise ValidationError(_("没有待审核的版本。"), code="no_draft")
    if pending.collected_by_id == actor.pk:
        raise RuleViolation(_("公开信息须由采集人以外的人员审核"), code="same_person", citation=DUTIES)
    pending.reviewed_by, pending.reviewed_at = actor, timezone.now()
    pending.save(update_fields=["reviewed_by", "reviewed_at"])
    _commit(actor, disclosure, "review", pending)
    return pending


@transaction.atomic
def disclosure_publish(*, actor, disclosure: Disclosure, version: int | None = None) -> DisclosureVersion:
    """发布: the reviewed text goes to the portal; the versions published before it stay in the public history."""
    disclosure, pending = _lock(disclosure, "publish", version)
    _require(may_approve(actor, disclosure.agency), _("只有本机关的公示管理员或负责人可以发布公开信息。"))
    if pending is None:
        raise ValidationError(_("没有待发布的版本。"), code="no_draft")
    if pending.reviewed_at is None:
        raise RuleViolation(_("公开信息未经审核，不得发布"), code="unreviewed", citation=DUTIES)
    disclosure.title = pending.title
    disclosure.withdrawn_at, disclosure.withdrawal_reason = None, ""
    pending.published_by, pending.published_at = actor, timezone.now()
    pending.ledger_index = _commit(
        actor, disclosure, "publish", pending, public=True, published_on=timezone.localdate()
    )
    pending.save(update_fields=["published_by", "published_at", "ledger_index"])
    return pending


@transaction.atomic
def disclosure_withdraw(*, actor, disclosure: Disclosure, reason: str, version: int | None = None) -> Disclosure:
    """撤下: the item leaves the portal (outdated, or found inaccurate and not yet corrected); the reason stays on
    the staff side. A new version, reviewed and published, brings it back."""
    disclosure, _pending = _lock(disclosure, "withdraw", version)
    _require(may_approve(actor, disclosure.agency), _("只有本机关的公示管理员或负责人可以撤下公开信息。"))
    reason = reason_check(reason, what=_("撤下原因"))
    disclosure.withdrawn_at, disclosure.withdrawal_reason = timezone.now(), reason
    current = disclosure.versions.filter(published_at__isnull=False).order_by("-number").first()
    _commit(actor, disclosure, "withdraw", current, public=True)
    return disclosure
