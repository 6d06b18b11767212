"""Writes of 扫码入企 (国办发〔2024〕54号): the enterprise rates a completed inspection once and may complain about it a
few times, through the code of its 行政检查通知书 (possession of the code is the credential) and its 统一社会信用代码
(the second factor, so a code seen over a shoulder is not enough).

The ledger entry of each is internal, filed under the agency above the inspecting one (whose supervisors read the
feedback, not the inspecting unit's own auditors), and holds only the digest of the row and a non-identifying fact
(the stars, the category): it proves the content unchanged without exposing it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.core.identifiers import normalize_uscc
from sanxiang.core.text import refuse_control_characters
from sanxiang.inspections.approval_models import Approval
from sanxiang.inspections.feedback_models import ComplaintCategory, InspectionComplaint, InspectionRating
from sanxiang.inspections.feedback_selectors import COMPLAINTS_PER_CODE, inspection_completed
from sanxiang.ledger.services import ledger_append

ACTOR = "enterprise"  # anonymous by design: the entry names no person, only that the inspected enterprise wrote
LEDGER_ACTIONS = {
    "inspection_rating.submit": gettext_lazy("企业评价行政检查"),
    "inspection_complaint.submit": gettext_lazy("企业投诉行政检查"),
}
INTERNAL_ACTIONS = {action: "扫码入企的评价和投诉只向上级执法监督人员公开" for action in LEDGER_ACTIONS}


def _admitted(*, approval: Approval, uscc: str) -> Approval:
    """The approval locked (one rating, a few complaints, however many arrive at once), once the second factor
    matches and the inspection is completed."""
    approval = (
        Approval.objects.select_for_update(of=("self",))
        .select_related("agency", "party", "inspection")
        .get(pk=approval.pk)
    )
    given = normalize_uscc(uscc or "")
    if not approval.party.uscc or given != normalize_uscc(approval.party.uscc):
        raise ValidationError({"uscc": _("统一社会信用代码与被检查企业不符。")})
    if not inspection_completed(approval):
        raise ValidationError({"code": _("检查结束后才能评价或投诉。")})
    return approval


def _record(row, *, approval: Approval, action: str, fact: dict) -> None:
    # Filed under the agency above the inspecting one, whose auditors and supervisors may read it; a provincial
    # inspection has none above it and is filed without an agency.
    parent = approval.agency.parent
    ledger_append(actor=ACTOR, agency=parent.code if parent else "", action=action, subject=row, data=fact)


@transaction.atomic
def rating_submit(*, approval: Approval, uscc: str, stars, comment: str = "") -> InspectionRating:
    """The enterprise rates the completed inspection (1–5 stars, a comment of at most 500 characters), once."""
    refuse_control_characters({"uscc": uscc, "comment": comment})
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("请选择 1 至 5 星。")})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("评价意见不超过 500 字。")})
    approval = _admitted(approval=approval, uscc=uscc)
    if InspectionRating.objects.filter(approval=approval).exists():
        raise ValidationError({"code": _("本次检查已经评价过，不能重复评价。")})
    rating = InspectionRating.objects.create(approval=approval, stars=stars, comment=comment)
    _record(rating, approval=approval, action="inspection_rating.submit", fact={"stars": stars})
    return rating


@transaction.atomic
def complaint_submit(
    *, approval: Approval, uscc: str, category: str, text: str, contact: str = ""
) -> InspectionComplaint:
    """The enterprise complains about the completed inspection: a category, what happened, optionally how to reach
    it; at most COMPLAINTS_PER_CODE per code."""
    refuse_control_characters({"uscc": uscc, "text": text, "contact": contact})
    if category not in ComplaintCategory.values:
        raise ValidationError({"category": _("请选择投诉类别。")})
    text, contact = (text or "").strip(), (contact or "").strip()
    if len(text) < 4:
        raise ValidationError({"text": _("请写明投诉的事实（至少 4 个字）。")})
    if len(text) > 1000:
        raise ValidationError({"text": _("投诉内容不超过 1000 字。")})
    if len(contact) > 100:
        raise ValidationError({"contact": _("联系方式不超过 100 字。")})
    approval = _admitted(approval=approval, uscc=uscc)
    if approval.complaints.count() >= COMPLAINTS_PER_CODE:
        raise ValidationError({"code": _("每个检查码最多投诉 %(n)d 次，已达上限。") % {"n": COMPLAINTS_PER_CODE}})
    complaint = InspectionComplaint.objects.create(approval=approval, category=category, text=text, contact=contact)
    _record(complaint, approval=approval, action="inspection_complaint.submit", fact={"category": category})
    return complaint
