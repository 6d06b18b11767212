"""The life of a publication (事后公开) once opened (opening.py): masked, confirmed by a second person, published,
corrected, withdrawn — by hand, or with the decision that changed it —, withheld, ended. One function per move, each
locking the record, checking the move against its table (PUBLICATION) and ledgering it in one transaction; the entry
of a published version is public."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases.models import Case
from sanxiang.core.errors import RuleViolation
from sanxiang.core.identifiers import validate_uscc
from sanxiang.core.rules import deadline, rule
from sanxiang.core.textindex import Entry, refill
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.licensing.models import Licence
from sanxiang.publicity import search
from sanxiang.publicity.hooks import public_changed
from sanxiang.publicity.layouts import USCC
from sanxiang.publicity.models import Kind, Publication, PublicationVersion, SubscriptionNotice
from sanxiang.publicity.periods import REPAIR_RULES, display_until
from sanxiang.publicity.selectors import acts_for, draft_version
from sanxiang.publicity.services.subscriptions import notices_queue
from sanxiang.publicity.services.versions import (
    PRIVACY_CITATION,
    public_prose,
    refuse_personal_data,
    version_create,
    version_remask,
)

DRAFT, WITHHELD, PUBLISHED = Publication.Status.DRAFT, Publication.Status.WITHHELD, Publication.Status.PUBLISHED
WITHDRAWN, EXPIRED = Publication.Status.WITHDRAWN, Publication.Status.EXPIRED


class PublicationMachine(StateMachine):
    def facts(self, record: Publication) -> dict:
        return {"number": record.number, "kind": record.kind, "version": record.version}


PUBLICATION = PublicationMachine(
    model=Publication,
    prefix="publication",
    related=("agency",),
    conflict=gettext_lazy("该公示记录已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("该公示记录当前状态为“%(state)s”，不能进行此项操作。"),
    moves={
        # A new record is a draft, or withheld at once when the party is a minor.
        "open": Move({NEW}, {DRAFT, WITHHELD}, gettext_lazy("生成公示记录")),
        "import": Move({NEW}, {DRAFT, WITHHELD}, gettext_lazy("导入公示记录")),
        "enter": Move({NEW}, {DRAFT, WITHHELD}, gettext_lazy("手工录入公示记录")),
        "redact": Move({DRAFT, PUBLISHED}, None, gettext_lazy("遮盖处理")),
        "confirm": Move({DRAFT, PUBLISHED}, None, gettext_lazy("复核遮盖处理")),
        "publish": Move({DRAFT, PUBLISHED}, PUBLISHED, gettext_lazy("公示")),
        "correct": Move({PUBLISHED}, None, gettext_lazy("更正公示信息")),
        "withhold": Move({DRAFT}, WITHHELD, gettext_lazy("不予网上公开")),
        "withdraw": Move({PUBLISHED}, WITHDRAWN, gettext_lazy("撤回公示")),
        "end": Move({PUBLISHED}, EXPIRED, gettext_lazy("停止公示")),
    },
)


PORTAL_MOVES = {"publish", "withdraw", "end"}  # the moves that change what the portal shows


def _commit(actor, publication: Publication, move: str, data: dict, *, public: bool = False) -> int:
    index = PUBLICATION.commit(actor, publication, move, data, public=public)
    if move in PORTAL_MOVES:
        public_changed(publication_id=publication.pk)
    return index


def _clerk(actor, publication: Publication) -> None:
    agency_clerk(actor=actor, agency=publication.agency)


def agency_clerk(*, actor, agency) -> None:
    """公示 is the agency's own: its publicity clerks and heads (and those of the agencies above)."""
    if not acts_for(actor, agency):
        raise PermissionDenied(_("只有本机关的公示管理员或负责人可以办理公示。"))


@transaction.atomic
def publication_redact(
    *, actor, publication: Publication, masks: list[dict], version: int | None = None
) -> PublicationVersion:
    """The clerk's masks for the version waiting to be published (the detector's, kept, dropped or added to)."""
    publication = PUBLICATION.lock(publication, "redact", version=version)
    _clerk(actor, publication)
    draft = draft_version(publication)
    if draft is None:
        raise ValidationError(_("没有待公示的版本。"), code="no_draft")
    version_remask(draft, masks)
    draft.prepared_by, draft.prepared_at, draft.confirmed_by, draft.confirmed_at = actor, timezone.now(), None, None
    draft.save()
    _commit(actor, publication, "redact", {"version_number": draft.number, "masks": len(draft.masks)})
    return draft


@transaction.atomic
def publication_confirm(*, actor, publication: Publication, version: int | None = None) -> PublicationVersion:
    """复核: a second person confirms the masks, after comparing the original and the public text side by side."""
    publication = PUBLICATION.lock(publication, "confirm", version=version)
    _clerk(actor, publication)
    draft = draft_version(publication)
    if draft is None or draft.prepared_by_id is None:
        raise ValidationError(_("遮盖处理尚未完成，不能复核。"), code="not_prepared")
    if actor is not None and actor.pk == draft.prepared_by_id:
        raise RuleViolation(
            _("遮盖处理须由另一人复核确认"),
            code="same_person",
            citation="黑环发〔2019〕112号 三(一)（明确公示内容的采集、审核、发布职责）",
        )
    draft.confirmed_by, draft.confirmed_at = actor, timezone.now()
    draft.save(update_fields=["confirmed_by", "confirmed_at"])
    _commit(actor, publication, "confirm", {"version_number": draft.number})
    return draft


@transaction.atomic
def publication_publish(*, actor, publication: Publication, version: int | None = None) -> Publication:
    """公示: the confirmed version goes to the portal; its public entry in the ledger carries the text's hash."""
    publication = PUBLICATION.lock(publication, "publish", version=version)
    _clerk(actor, publication)
    draft = draft_version(publication)
    if draft is None:
        raise ValidationError(_("没有待公示的版本。"), code="no_draft")
    if draft.confirmed_at is None:
        raise RuleViolation(
            _("遮盖处理未经复核确认，不得公开"), code="redaction_unconfirmed", citation=PRIVACY_CITATION
        )
    refuse_personal_data(publication, draft)
    today = timezone.localdate()
    first = publication.status == DRAFT
    if first:
        publication.status, publication.published_on = PUBLISHED, today
    publication.summary = draft.summary  # a corrected licence's 有效期至 moves its end on the portal
    publication.party_uscc = _uscc(draft.summary)
    publication.display_until = display_until(publication)
    draft.published_at = timezone.now()
    draft.ledger_index = _commit(
        actor,
        publication,
        "publish",
        {
            "version_number": draft.number,
            "sha256": draft.public_sha256,
            "published_on": today,
            "on_time": today <= publication.due_on if first else None,
        },
        public=True,
    )
    draft.save(update_fields=["published_at", "ledger_index"])
    index_publication(publication)
    notices_queue(
        publication=publication,
        event=SubscriptionNotice.Event.CORRECTED if draft.number > 1 else SubscriptionNotice.Event.PUBLISHED,
        reason=draft.reason,
    )
    return publication


def _uscc(summary: dict) -> str:
    """The party's 统一社会信用代码 as published, when it is one (blank for a natural person, or a value not a code)."""
    code = str(summary.get(USCC) or "").strip().upper()
    try:
        validate_uscc(code)
    except ValidationError:
        return ""
    return code


def index_publication(publication: Publication) -> None:
    search.INDEX.put([publication_entry(publication)])


def publications_reindex(progress=None) -> int:
    """Make the search index again from the published records (`sanxiang reindex`)."""
    published = Publication.objects.filter(status=PUBLISHED).select_related("agency").order_by("pk")
    return refill(search.INDEX, published, lambda chunk: map(publication_entry, chunk), progress)


def publication_entry(publication: Publication) -> Entry:
    """What the search index holds of a published record."""
    return search.entry(
        publication.pk,
        [
            publication.party_name,
            publication.number,
            publication.title,
            publication.violation,
            publication.summary.get("违法事实", "") or publication.summary.get("执法结论", ""),
            publication.summary.get("处罚依据", ""),
            publication.agency.name,
        ],
        search.filters(
            agency=publication.agency.code,
            year=publication.decided_on.year,
            kind=publication.kind,
            violation=publication.violation,
        ),
        publication.party_name,
    )


@transaction.atomic
def publication_correct(
    *,
    actor,
    publication: Publication,
    original: str,
    reason: str,
    summary: dict | None = None,
    version: int | None = None,
) -> PublicationVersion:
    """更正: a new version of the text (and summary) with a public reason; the old versions stay in the history."""
    publication = PUBLICATION.lock(publication, "correct", version=version)
    _clerk(actor, publication)
    if draft_version(publication) is not None:
        raise ValidationError(_("已有待公示的更正版本，请先处理。"), code="draft_pending")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明更正理由（将随更正一并公开）。")})
    if not original.strip():
        raise ValidationError({"original": _("更正后的内容不能为空。")})
    fields = dict(publication.summary)
    if summary is not None:
        unknown = set(summary) - set(fields)
        if unknown:
            raise ValidationError({"summary": _("未知的信息项：%(keys)s") % {"keys": "、".join(sorted(unknown))}})
        fields |= summary  # kept on the new version until it is confirmed and published
    number = publication.versions.count() + 1
    draft = version_create(
        publication, number, original.strip(), summary=fields, reason=public_prose(publication, reason.strip())
    )
    _commit(actor, publication, "correct", {"version_number": number})
    return draft


@transaction.atomic
def publication_withhold(*, actor, publication: Publication, reason: str, version: int | None = None) -> Publication:
    """不予网上公开: a minor's case, or one whose main facts are state or commercial secrets."""
    publication = PUBLICATION.lock(publication, "withhold", version=version)
    _clerk(actor, publication)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明不予网上公开的理由。")})
    publication.withheld_reason = reason.strip()
    _commit(actor, publication, "withhold", {})
    return publication


@transaction.atomic
def publication_withdraw(
    *, actor, publication: Publication, reason: str, changed_on: dt.date, version: int | None = None
) -> Publication:
    """撤回: the decision was changed, revoked, found illegal or void; within three working days, with a public
    notice of the reason that stays where the decision was (《行政处罚法》第四十八条)."""
    publication = PUBLICATION.lock(publication, "withdraw", version=version)
    _clerk(actor, publication)
    return _withdraw(actor, publication, reason, changed_on)


def _withdraw(actor, publication: Publication, reason: str, changed_on: dt.date) -> Publication:
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤回原因（将公开说明）。")})
    today = timezone.localdate()
    if changed_on > today or changed_on < publication.decided_on:
        raise ValidationError({"changed_on": _("决定被变更、撤销的日期应在决定日期之后、今天之前。")})
    publication.withdrawal_reason = public_prose(publication, reason.strip())
    publication.changed_on, publication.withdrawn_at = changed_on, timezone.now()
    publication.withdraw_due_on = deadline("publication.withdraw_days", changed_on, publication.agency).date
    search.unindex(publication.pk)
    _commit(
        actor,
        publication,
        "withdraw",
        {
            "changed_on": changed_on,
            "withdraw_due_on": publication.withdraw_due_on,
            "on_time": today <= publication.withdraw_due_on,
        },
        public=True,
    )
    notices_queue(
        publication=publication, event=SubscriptionNotice.Event.WITHDRAWN, reason=publication.withdrawal_reason
    )
    return publication


def publication_decision_changed(*, actor, case: Case, changed_on: dt.date, reason: str) -> None:
    """A 复议 or 诉讼 changed, revoked, or found unlawful or void the case's decision: its publication is withdrawn
    at once, in the transaction that records the outcome — the law's three working days are not left to memory
    (《行政处罚法》第四十八条第二款). One not yet published is kept off the internet with the same reason."""
    _take_down(actor, case.publications.filter(number=case.decision_number), changed_on, reason)


def publication_licence_changed(*, actor, licence: Licence, changed_on: dt.date, reason: str) -> None:
    """A licence was recalled (撤回, 《行政许可法》第八条) or revoked (撤销, 第六十九条): every publication of its
    decisions — the grant, each change and renewal — is withdrawn with the reason in the transaction of the recall or
    revocation, as a changed decision is (seed 三(一)3: 及时撤下; 《行政处罚法》第四十八条 for the notice and the three
    working days); one not yet published is withheld with the same reason."""
    _take_down(actor, licence.publications.all(), changed_on, reason)


# The column is short: a longer reason is cut there, and stays whole on what changed the decision (the licence's
# end_reason and its document, the case's challenge).
WITHHELD_REASON_LENGTH = Publication._meta.get_field("withheld_reason").max_length


def _take_down(actor, publications, changed_on: dt.date, reason: str) -> None:
    for publication in publications.order_by("pk"):
        if publication.status == PUBLISHED:
            _withdraw(actor, PUBLICATION.lock(publication, "withdraw"), reason, changed_on)
        elif publication.status == DRAFT:
            publication = PUBLICATION.lock(publication, "withhold")
            publication.withheld_reason = Truncator(reason).chars(WITHHELD_REASON_LENGTH)
            _commit(actor, publication, "withhold", {"changed_on": changed_on})


@transaction.atomic
def publication_end(*, actor, publication: Publication, reason: str, version: int | None = None) -> Publication:
    """提前停止公示 after credit repair: only once the minimum display period for its class has run."""
    publication = PUBLICATION.lock(publication, "end", version=version)
    _clerk(actor, publication)
    if publication.kind != Kind.PENALTY:
        raise ValidationError(
            _("只有行政处罚信息可以因信用修复提前停止公示；其他决定按其公示期限或有效期公示。"), code="not_penalty"
        )
    minimum = REPAIR_RULES.get(publication.credit_class)
    if minimum is not None:
        limit = rule(minimum, publication.agency)
        earliest = deadline(minimum, publication.decided_on, publication.agency).date
        if timezone.localdate() < earliest:
            raise RuleViolation(
                _("最短公示期限届满（%(date)s）前不能经信用修复停止公示") % {"date": earliest},
                code="too_early",
                citation=limit.citation,
            )
    if not reason.strip():
        raise ValidationError({"reason": _("请写明停止公示的原因（如信用修复决定）。")})
    return _stop(actor, publication, reason.strip())


def _stop(actor, publication: Publication, reason: str) -> Publication:
    publication.ended_on, publication.end_reason = timezone.localdate(), reason
    search.unindex(publication.pk)
    _commit(actor, publication, "end", {"ended_on": publication.ended_on}, public=True)
    return publication


def publications_expire(*, today: dt.date) -> int:
    """Each morning: published records past their display period leave the portal (one transaction each)."""
    ended = 0
    for pk in Publication.objects.filter(status=PUBLISHED, display_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            try:
                publication = PUBLICATION.lock(Publication(pk=pk), "end")
            except ValidationError:
                continue  # withdrawn or ended since the list was read
            if publication.display_until < today:
                _stop(None, publication, _("公示期满"))
                ended += 1
    return ended
