"""申请与受理 (《行政许可法》第二十九条至第三十二条): an application received at the window or on the portal, the
one notice of every missing material (一次告知), the supplement, acceptance or refusal to accept — within 5 working
days of receipt, after which the application counts as accepted on receipt (第三十二条第一款第四项)."""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases.models import Party
from sanxiang.core.errors import RuleViolation
from sanxiang.core.identifiers import validate_resident_id, validate_uscc
from sanxiang.licensing import clocks
from sanxiang.licensing.models import LAW, Application, Licence, LicenceType
from sanxiang.licensing.services.machine import (
    APPLICATION,
    RECEIVED,
    commit,
    issue,
    lock,
    refresh_decision_due,
    require_certified,
    text,
    today,
)

ART32 = LAW + "第三十二条"
ART50 = LAW + "第五十条"
# 不予受理的情形 (第三十二条第一款第一项、第二项) and an application the law does not allow to be made
REJECT_GROUNDS = {
    "not_licensable": gettext_lazy("申请事项依法不需要取得行政许可（第三十二条第一款第一项）"),
    "not_competent": gettext_lazy(
        "申请事项依法不属于本行政机关职权范围，已告知向有关行政机关申请（第三十二条第一款第二项）"
    ),
    "not_allowed": gettext_lazy("依法不得提出该申请（如被依法撤销许可后的禁止申请期内，第七十九条）"),
}
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone


def _number() -> str:
    """申请编号: the date and six random characters — unguessable, so the number alone opens the progress page."""
    return f"XK{today():%Y%m%d}-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))


def _materials(licence_type: LicenceType, codes) -> list[str]:
    known = set(licence_type.materials.values_list("code", flat=True))
    codes = list(dict.fromkeys(str(code).strip() for code in codes or () if str(code).strip()))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"materials": _("本事项没有这些材料：%(codes)s。") % {"codes": "、".join(unknown)}})
    return codes


PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,38}")


def _phone(value: str) -> str:
    """A number the SMS of each step can reach: digits, with “+”, “-”, spaces or brackets, at least seven digits."""
    value = text(value, "phone", _("请填写联系电话。"), limit=40)
    if not PHONE.fullmatch(value) or sum(char.isdigit() for char in value) < 7:
        raise ValidationError({"phone": _("请填写有效的联系电话（手机号码或带区号的固定电话）。")})
    return value


def missing_materials(application: Application) -> list:
    """The required materials of the type the application has not handed in, in the list's order."""
    given = set(application.materials)
    return [m for m in application.licence_type.materials.filter(required=True) if m.code not in given]


def _applicant(uscc: str, id_number: str) -> tuple[str, str]:
    uscc, id_number = (uscc or "").strip().upper(), (id_number or "").strip().upper()
    if bool(uscc) == bool(id_number):
        raise ValidationError(
            {"applicant_uscc": _("法人和其他组织填写统一社会信用代码，公民填写身份证号码，二者填一项。")}
        )
    try:
        validate_uscc(uscc) if uscc else validate_resident_id(id_number)
    except ValidationError as error:
        raise ValidationError({"applicant_uscc" if uscc else "applicant_id_number": error.messages}) from None
    return uscc, id_number


def _licence_refusal(kind: str, licence: Licence | None, licence_type: LicenceType, uscc: str) -> None:
    """A change or renewal names a valid licence of the same type and holder, with no other change or renewal open;
    a renewal is applied for in time (第五十条第一款)."""
    if kind == Application.Kind.NEW:
        if licence is not None:
            raise ValidationError({"licence": _("新申请不关联原许可。")})
        return
    if licence is None or licence.licence_type_id != licence_type.pk or licence.holder_uscc != uscc:
        raise ValidationError({"licence": _("请选择申请人持有的本事项许可。")})
    if licence.status != Licence.Status.VALID:
        raise ValidationError(
            {"licence": _("该许可当前为“%(s)s”，不能申请变更或延续。") % {"s": licence.get_status_display()}}
        )
    if licence.applications.filter(status__in=Application.OPEN).exists():
        raise ValidationError({"licence": _("该许可已有办理中的变更或延续申请。")})
    if kind == Application.Kind.RENEWAL:
        if not licence_type.renewable or licence.valid_to is None:
            raise ValidationError({"kind": _("本事项的许可不适用延续。")})
        latest = clocks.renewal_latest(licence.valid_to, licence_type, licence.agency)
        if today() > latest:
            raise RuleViolation(
                _("延续申请应当在许可有效期届满%(days)d日前（%(latest)s 前）提出，已逾期")
                % {"days": (licence.valid_to - latest).days, "latest": latest},
                code="renewal_late",
                citation=ART50,
            )


@transaction.atomic
def application_submit(
    *,
    actor,
    licence_type: LicenceType,
    channel: str,
    applicant_name: str,
    contact_name: str,
    phone: str,
    project: str,
    request: str,
    materials=(),
    applicant_uscc: str = "",
    applicant_id_number: str = "",
    applicant_address: str = "",
    email: str = "",
    kind: str = Application.Kind.NEW,
    licence: Licence | None = None,
) -> Application:
    """申请: received at the service window by its staff, or made on the portal (no actor); given its number."""
    agency = licence_type.agency
    if channel not in Application.Channel.values or (channel == Application.Channel.ONLINE) != (actor is None):
        raise ValidationError({"channel": _("窗口申请由工作人员登记，网上申请由申请人在门户网站提交。")})
    if actor is not None:
        APPLICATION.require(actor, agency, "submit")
        require_certified(actor, agency)
    if licence_type.withdrawn_on is not None or (channel == Application.Channel.ONLINE and not licence_type.online):
        raise ValidationError({"licence_type": _("该事项目前不受理此方式的申请。")})
    if kind not in Application.Kind.values:
        raise ValidationError({"kind": _("请选择申请类别。")})
    uscc, id_number = _applicant(applicant_uscc, applicant_id_number)
    _licence_refusal(kind, licence, licence_type, uscc)
    received = today()
    application = Application(
        agency=agency,
        licence_type=licence_type,
        kind=kind,
        licence=licence,
        channel=channel,
        party=Party.objects.filter(agency=agency, uscc=uscc).first() if uscc else None,
        applicant_name=text(applicant_name, "applicant_name", _("请填写申请人名称（姓名）。"), limit=120),
        applicant_uscc=uscc,
        applicant_id_number=id_number,
        applicant_address=text(applicant_address, "applicant_address", _("住所过长。"), limit=200, required=False),
        contact_name=text(contact_name, "contact_name", _("请填写联系人。"), limit=50),
        phone=_phone(phone),
        email=text(email, "email", _("电子邮箱过长。"), limit=254, required=False),
        project=text(project, "project", _("请填写项目名称。"), limit=200),
        request=text(request, "request", _("请写明申请事项。")),
        materials=_materials(licence_type, materials),
        received_on=received,
        accept_due_on=clocks.accept_due(received, agency).date,
    )
    for _attempt in range(5):
        application.number = _number()
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:  # the same six characters drawn the same day: draw again
            continue
    else:
        raise RuntimeError("no free application number")
    APPLICATION.start(application, "submit")
    return commit(
        actor,
        application,
        "submit",
        {"type": licence_type.code, "channel": channel, "materials": len(application.materials)},
        tell=_("您的许可申请已收到，申请编号 %(number)s，请凭编号查询办理进度。") % {"number": application.number},
    )


def _in_acceptance_period(application: Application, what: str) -> None:
    if today() > application.accept_due_on:
        raise RuleViolation(
            _("收到申请材料已超过5个工作日（%(due)s 届满），依法视为受理，不能再%(what)s")
            % {"due": application.accept_due_on, "what": what},
            code="acceptance_period_over",
            citation=ART32,
        )


@transaction.atomic
def application_request_supplement(*, actor, application: Application, items, note: str = "", version=None):
    """补正: tell the applicant, once, every material to add (一次告知), within the 5 working days (第三十二条第一款第四项)."""
    application = lock(actor, application, "supplement_request", version)
    _in_acceptance_period(application, _("要求补正"))
    if application.supplement_items:
        raise RuleViolation(_("补正材料应当一次告知，本申请已告知过"), code="supplement_twice", citation=ART32)
    codes = _materials(application.licence_type, items)
    missing = [m.code for m in missing_materials(application)]
    left_out = [code for code in missing if code not in codes]
    if left_out:
        raise RuleViolation(
            _("应当一次告知需要补正的全部内容，未列入：%(codes)s") % {"codes": "、".join(left_out)},
            code="supplement_incomplete",
            citation=ART32,
        )
    if not codes:
        raise ValidationError({"items": _("请选择需要补正的材料。")})
    names = dict(application.licence_type.materials.values_list("code", "name"))
    note = text(note, "note", _("说明过长。"), required=False)
    listing = "\n".join(f"{index}. {names[code]}" for index, code in enumerate(codes, start=1))
    application.supplement_items = codes
    document = issue(actor, application, "licence_supplement", {"items": listing, "content": note})
    return commit(
        actor,
        application,
        "supplement_request",
        {"items": codes, "document": document.number},
        tell=_("您的申请 %(number)s 需要补正材料：%(names)s。补齐后受理期限重新计算。")
        % {"number": application.number, "names": "、".join(names[code] for code in codes)},
    )


@transaction.atomic
def application_supplement(*, actor, application: Application, materials, version=None) -> Application:
    """The applicant hands in what the notice listed: the materials count as received today, and the 5 working days
    to decide on acceptance run again from today."""
    application = lock(actor, application, "supplement", version)
    codes = _materials(application.licence_type, materials)
    still = [code for code in application.supplement_items if code not in codes]
    if still:
        raise ValidationError({"materials": _("补正材料仍不齐全，缺少：%(codes)s。") % {"codes": "、".join(still)}})
    application.materials = list(dict.fromkeys([*application.materials, *codes]))
    application.received_on = today()
    application.accept_due_on = clocks.accept_due(application.received_on, application.agency).date
    return commit(actor, application, "supplement", {"materials": codes, "accept_due_on": application.accept_due_on})


def _start_decision_clock(application: Application, accepted_on) -> None:
    application.accepted_on = accepted_on
    refresh_decision_due(application)


@transaction.atomic
def application_accept(*, actor, application: Application, version=None) -> Application:
    """受理: the materials are complete; the 受理通知书 states the period to decide. Past the 5 working days the
    application counts as accepted on the day it was received (第三十二条), and is recorded so."""
    application = lock(actor, application, "accept", version)
    missing = missing_materials(application)
    if missing:
        raise RuleViolation(
            _("申请材料不齐全（缺少：%(names)s），应当一次告知申请人补正，不能受理")
            % {"names": "、".join(m.name for m in missing)},
            code="materials_missing",
            citation=ART32,
        )
    late = today() > application.accept_due_on
    application.deemed_accepted = late
    _start_decision_clock(application, application.received_on if late else today())
    kind = application.licence_type
    period = f"{kind.period}（{kind.decision_citation}）"
    document = issue(
        actor,
        application,
        "licence_acceptance",
        {
            "content": _(
                "你（单位）提交的申请材料齐全、符合法定形式，本机关决定受理。本机关将在受理之日起%(period)s内"
                "作出决定，即 %(due)s 前；依法需要听证、专家评审等的，所需时间不计算在内，届时另行书面告知。"
            )
            % {"period": period, "due": application.decision_due_on}
        },
    )
    return commit(
        actor,
        application,
        "accept",
        {"decision_due_on": application.decision_due_on, "deemed": late, "document": document.number},
        tell=_("您的申请 %(number)s 已受理，应在 %(due)s 前作出决定。")
        % {"number": application.number, "due": application.decision_due_on},
    )


@transaction.atomic
def applications_deem_accepted(*, on=None) -> int:
    """The nightly sweep: an application nobody decided on within the 5 working days counts as accepted on the day
    it was received (第三十二条第一款第四项), by the platform, with its decision clock from that day."""
    day = on or today()
    count = 0
    for application in Application.objects.filter(status=RECEIVED, accept_due_on__lt=day).order_by("pk"):
        application = APPLICATION.lock(application, "deem_accept")
        application.deemed_accepted = True
        _start_decision_clock(application, application.received_on)
        commit(
            None,
            application,
            "deem_accept",
            {"decision_due_on": application.decision_due_on, "citation": ART32},
            tell=_("您的申请 %(number)s 自收到材料之日起视为受理，应在 %(due)s 前作出决定。")
            % {"number": application.number, "due": application.decision_due_on},
        )
        count += 1
    return count


@transaction.atomic
def application_reject(*, actor, application: Application, ground: str, reason: str, version=None) -> Application:
    """不予受理: the matter needs no licence, or is not this agency's (第三十二条第一款第一项、第二项), told in a
    written decision with the reason and the remedies, within the 5 working days."""
    application = lock(actor, application, "reject", version)
    _in_acceptance_period(application, _("决定不予受理"))
    if ground not in REJECT_GROUNDS:
        raise ValidationError({"ground": _("请选择不予受理的情形。")})
    reason = text(reason, "reason", _("请写明不予受理的理由。"))
    document = issue(
        actor,
        application,
        "licence_rejection",
        {"reason": reason, "basis": f"{REJECT_GROUNDS[ground]}；{ART32}", "rights_text": rights(application)},
    )
    application.decision_reason, application.decided_on = reason, today()
    application.decision_document = document
    application.closed_on = today()
    return commit(
        actor,
        application,
        "reject",
        {"ground": ground, "document": document.number},
        tell=_("您的申请 %(number)s 不予受理，请查收不予受理决定书。") % {"number": application.number},
    )


def rights(record) -> str:
    """The remedies a written refusal names (第三十八条第二款): reconsideration and litigation, with the bodies the
    agency of the application or licence entered."""
    agency = record.agency
    body = getattr(agency, "reconsideration_body", "") or _("本机关的上一级主管部门或者本级人民政府")
    court = getattr(agency, "court", "") or _("有管辖权的人民法院")
    return _(
        "如不服本决定，可以在收到本决定书之日起六十日内向%(body)s申请行政复议，或者在六个月内向%(court)s提起行政诉讼。"
    ) % {"body": body, "court": court}


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str, version=None) -> Application:
    """撤回申请: the applicant withdraws before the decision, in writing at the window."""
    application = lock(actor, application, "withdraw", version)
    application.decision_reason = text(reason, "reason", _("请写明申请人撤回申请的情况。"))
    application.closed_on = today()
    return commit(actor, application, "withdraw", {"reason_given": True})


__all__ = [
    "REJECT_GROUNDS",
    "application_accept",
    "application_reject",
    "application_request_supplement",
    "application_submit",
    "application_supplement",
    "application_withdraw",
    "applications_deem_accepted",
    "missing_materials",
    "rights",
]
