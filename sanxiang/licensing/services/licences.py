"""A licence after its grant (《行政许可法》第八条、第六十九条、第七十条): recalled when the law or the facts it rested
on changed, revoked when it was granted unlawfully — each withdrawing its publication with the reason —, cancelled
(注销) once it has ended, and marked expired when its term ran out without a renewal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.selectors import MANAGE, agency_require
from sanxiang.cases.gates import require_head
from sanxiang.core.identifiers import validate_uscc
from sanxiang.licensing import hooks
from sanxiang.licensing.models import LAW, Application, Licence
from sanxiang.licensing.services.intake import rights
from sanxiang.licensing.services.machine import LICENCE, document_for_licence, text, today

ART8, ART69, ART70 = LAW + "第八条", LAW + "第六十九条", LAW + "第七十条"
RECALL_GROUNDS = {
    "law_changed": gettext_lazy("行政许可所依据的法律、法规、规章修改或者废止（第八条第二款）"),
    "facts_changed": gettext_lazy("准予行政许可所依据的客观情况发生重大变化，为了公共利益的需要（第八条第二款）"),
}
REVOKE_GROUNDS = {
    "abuse": gettext_lazy("行政机关工作人员滥用职权、玩忽职守作出准予行政许可决定（第六十九条第一款第一项）"),
    "beyond_power": gettext_lazy("超越法定职权作出准予行政许可决定（第六十九条第一款第二项）"),
    "beyond_procedure": gettext_lazy("违反法定程序作出准予行政许可决定（第六十九条第一款第三项）"),
    "unqualified": gettext_lazy("对不具备申请资格或者不符合法定条件的申请人准予行政许可（第六十九条第一款第四项）"),
    "fraud": gettext_lazy("被许可人以欺骗、贿赂等不正当手段取得行政许可（第六十九条第二款）"),
}
CANCEL_GROUNDS = {
    "expired": gettext_lazy("行政许可有效期届满未延续（第七十条第一项）"),
    "terminated": gettext_lazy("法人或者其他组织依法终止（第七十条第三项）"),
    "ended": gettext_lazy("行政许可依法被撤销、撤回，或者许可证件依法被吊销（第七十条第四项）"),
    "force_majeure": gettext_lazy("因不可抗力导致行政许可事项无法实施（第七十条第五项）"),
    "other": gettext_lazy("法律、法规规定的应当注销行政许可的其他情形（第七十条第六项）"),
}


@dataclass(frozen=True)
class Ending:
    """How a licence ends by one move: the grounds the law gives, the decision's document, its article, and the
    words its withdrawn publication carries (none: the publication stays, as for 注销)."""

    grounds: dict
    doc_type: str
    citation: str
    withdrawn: str = ""


ENDINGS = {
    "recall": Ending(RECALL_GROUNDS, "licence_recall", ART8, gettext_lazy("该行政许可已依法撤回：%(r)s")),
    "revoke": Ending(REVOKE_GROUNDS, "licence_revocation", ART69, gettext_lazy("该行政许可已依法撤销：%(r)s")),
    "cancel": Ending(CANCEL_GROUNDS, "licence_cancellation", ART70),
}


def _end(actor, licence: Licence, move: str, *, ground: str, reason: str, version) -> Licence:
    """The head's decision ending the licence by `move`, on a ground of its article, in the caller's transaction:
    the document, the licence's entry, and (recall, revocation) its publication withdrawn."""
    ending = ENDINGS[move]
    LICENCE.require(actor, licence.agency, move)
    licence = LICENCE.lock(licence, move, version=version)
    require_head(actor, licence.agency, str(LICENCE.moves[move].label))
    if ground not in ending.grounds:
        raise ValidationError({"ground": _("请选择法定情形。")})
    if move == "cancel" and ground == "ended" and licence.status == Licence.Status.VALID:
        raise ValidationError({"ground": _("该许可尚未被撤销、撤回，请选择其他情形。")})
    if move == "cancel" and ground == "expired" and licence.status != Licence.Status.EXPIRED:
        raise ValidationError({"ground": _("该许可尚在有效期内，请选择其他情形。")})
    licence.end_reason = text(reason, "reason", _("请写明理由。"), limit=5000)
    licence.ended_on = today()
    basis = f"{ending.grounds[ground]}；{ending.citation}"
    fields = {"reason": licence.end_reason, "basis": basis, "rights_text": rights(licence)}
    licence.end_document = document_for_licence(actor, licence, ending.doc_type, fields)
    data = {"ground": ground, "document": licence.end_document.number, "citation": ending.citation}
    LICENCE.commit(actor, licence, move, data)
    if ending.withdrawn:
        words = str(ending.withdrawn) % {"r": licence.end_reason}
        hooks.decision_changed(actor=actor, licence=licence, changed_on=today(), reason=words)
    return licence


@transaction.atomic
def licence_recall(*, actor, licence: Licence, ground: str, reason: str, version=None) -> Licence:
    """撤回 (第八条): the licence was lawful, but its law or the facts changed; the holder's loss is compensated by law."""
    return _end(actor, licence, "recall", ground=ground, reason=reason, version=version)


@transaction.atomic
def licence_revoke(*, actor, licence: Licence, ground: str, reason: str, version=None) -> Licence:
    """撤销 (第六十九条): the grant was unlawful; its publication is withdrawn with the reason."""
    return _end(actor, licence, "revoke", ground=ground, reason=reason, version=version)


@transaction.atomic
def licence_cancel(*, actor, licence: Licence, ground: str, reason: str, version=None) -> Licence:
    """注销 (第七十条): the formalities of a licence that has ended or can no longer be used."""
    return _end(actor, licence, "cancel", ground=ground, reason=reason, version=version)


@transaction.atomic
def licences_expire(*, on: dt.date | None = None) -> int:
    """The nightly sweep, after the renewals deemed granted: a licence past its term with no renewal open expires."""
    day = on or today()
    renewing = Application.objects.filter(kind=Application.Kind.RENEWAL, status__in=Application.OPEN)
    due = Licence.objects.filter(status=Licence.Status.VALID, valid_to__lt=day).exclude(applications__in=renewing)
    count = 0
    for licence in due.order_by("pk"):
        licence = LICENCE.lock(licence, "expire")
        LICENCE.commit(None, licence, "expire", {"valid_to": licence.valid_to})
        count += 1
    return count


@transaction.atomic
def licence_register(
    *,
    actor,
    licence_type,
    number: str,
    holder_name: str,
    holder_uscc: str,
    content: str,
    decision_number: str,
    decided_on: dt.date,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Licence:
    """存量许可登记: a licence the agency granted before the platform, entered from its decision by those who keep the
    agency's catalogues, so that its change, renewal (and a renewal deemed granted, 第五十条) and end run here."""
    agency = licence_type.agency
    agency_require(user=actor, agency=agency, action=MANAGE)
    values = {
        "number": text(number, "number", _("请填写许可编号。"), limit=40),
        "holder_name": text(holder_name, "holder_name", _("请填写被许可人。"), limit=120),
        "decision_number": text(decision_number, "decision_number", _("请填写许可决定文书号。"), limit=80),
        "content": text(content, "content", _("请写明许可内容。"), limit=5000),
    }
    uscc = (holder_uscc or "").strip().upper()
    try:
        validate_uscc(uscc)
    except ValidationError as error:
        raise ValidationError({"holder_uscc": error.messages}) from None
    if decided_on > today() or valid_from < decided_on or (valid_to is not None and valid_to < valid_from):
        raise ValidationError({"valid_from": _("决定日期不晚于今天，有效期自决定之日起，有效期至不早于有效期自。")})
    if Licence.objects.filter(agency=agency, number=values["number"]).exists():
        raise ValidationError({"number": _("本机关已有编号为 %(n)s 的许可。") % {"n": values["number"]}})
    expired = valid_to is not None and valid_to < today()
    licence = Licence(
        agency=agency,
        licence_type=licence_type,
        holder_uscc=uscc,
        decided_on=decided_on,
        valid_from=valid_from,
        valid_to=valid_to,
        status=Licence.Status.EXPIRED if expired else Licence.Status.VALID,
        **values,
    )
    licence.save()
    LICENCE.start(licence, "register")
    LICENCE.commit(actor, licence, "register", {"decision_number": licence.decision_number, "valid_to": valid_to})
    return licence
