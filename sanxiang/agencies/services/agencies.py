"""Writes for agencies and their service windows (服务窗口).

Callers check access with the gates in selectors.py first; these functions check the business rules. The details
every decision names (复议机关, court, payment channel) carry legal force, so their service checks its actor too.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies import selectors
from sanxiang.agencies.models import DECISION_DETAILS, PARENT_LEVEL, Agency, AgencyLevel, ServiceWindow, User
from sanxiang.core.identifiers import normalize_uscc
from sanxiang.core.text import refuse_control_characters
from sanxiang.ledger.services import ledger_append

AGENCY_CODE = re.compile(r"\d{6}")
AGENCY_EDITABLE = ("name", "abbreviation", "address", "phone", "website", "is_active")
ACCOUNT_NUMBER = re.compile(r"[0-9][0-9 -]*[0-9]")
WINDOW_FIELDS = (
    "name",
    "location",
    "opening_hours",
    "posts",
    "sample_forms",
    "progress_query",
    "consultation",
    "complaint",
    "order",
)


# 机关代字: the agency's short name at the head of every document number (哈环罚〔2026〕1号), printed and filed: a
# few Chinese characters, nothing else (no path, no markup, no spaces).
ABBREVIATION = re.compile(r"[\u4e00-\u9fff]{1,6}")


def check_abbreviation(abbreviation: str) -> None:
    """Refuse a 机关代字 that is not one to six Chinese characters."""
    if not ABBREVIATION.fullmatch(abbreviation):
        raise ValidationError({"abbreviation": _("机关代字应为 1 至 6 个汉字，如“哈环”。")}, code="bad_abbreviation")


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    parent: Agency | None,
    code: str,
    name: str,
    abbreviation: str,
    level: str,
    uscc: str,
    address: str,
    phone: str = "",
    website: str = "",
) -> Agency:
    """Create a bureau under `parent` (a city under the province, a county branch under a city)."""
    refuse_control_characters({"name": name, "abbreviation": abbreviation, "address": address, "phone": phone})
    check_abbreviation(abbreviation.strip())
    code = code.strip()
    if not AGENCY_CODE.fullmatch(code):
        # The code becomes part of every scoping path, so nothing but the 6-digit division code is accepted.
        raise ValidationError({"code": _("机关代码应为 6 位行政区划代码，如 230100。")})
    if level == AgencyLevel.PROVINCE:
        if parent is not None:
            raise ValidationError({"parent": _("省级机关没有上级机关。")})
        path = f"/{code}/"
    else:
        if parent is None or parent.level != PARENT_LEVEL.get(level):
            raise ValidationError({"parent": _("上级机关层级不符：市级机关隶属省级，县级机关隶属市级。")})
        path = f"{parent.path}{code}/"
    agency = Agency(
        parent=parent,
        code=code,
        name=name.strip(),
        abbreviation=abbreviation.strip(),
        level=level,
        path=path,
        uscc=normalize_uscc(uscc),
        address=address.strip(),
        phone=phone.strip(),
        website=website.strip(),
    )
    agency.full_clean()
    agency.save()
    ledger_append(
        actor=actor,
        agency=agency,
        action="agency.create",
        subject=agency,
        data={"code": agency.code, "level": agency.level, "parent": parent.code if parent else None},
        public=True,
    )
    return agency


@transaction.atomic
def agency_update(*, actor: User | None, agency: Agency, **changes) -> Agency:
    """Change an agency's descriptive fields; its code, level and place in the hierarchy are fixed."""
    unknown = set(changes) - set(AGENCY_EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    refuse_control_characters(changes)
    if "abbreviation" in changes:
        check_abbreviation(changes["abbreviation"].strip())
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    for field, value in changes.items():
        setattr(agency, field, value.strip() if isinstance(value, str) else value)
    agency.full_clean()
    agency.save()
    ledger_append(
        actor=actor,
        agency=agency,
        action="agency.update",
        subject=agency,
        data={"fields": sorted(changes)},
        public=True,
    )
    return agency


@transaction.atomic
def agency_set_decision_details(
    *,
    actor: User | None,
    agency: Agency,
    reconsideration_body: str,
    court: str,
    payment_bank: str = "",
    payment_account_name: str = "",
    payment_account_number: str = "",
    payment_online: str = "",
) -> Agency:
    """What every decision of `agency` names: the 复议机关, the court of first instance for a suit, and how a fine is
    paid (a bank account, an e-payment description, or both). Set by the agency's own head or the province's system
    administrator; an empty value makes the agency's decisions be refused as incomplete until it is entered."""
    selectors.agency_require(user=actor, agency=agency, action=selectors.DECISION_DETAILS)
    given = (reconsideration_body, court, payment_bank, payment_account_name, payment_account_number, payment_online)
    values = {field: " ".join(value.split()) for field, value in zip(DECISION_DETAILS, given, strict=True)}
    errors = {}
    if values["court"] and not values["court"].endswith("法院"):
        errors["court"] = _("请填写法院的全称，如“哈尔滨铁路运输法院”“大庆市萨尔图区人民法院”。")
    account = [values[field] for field in ("payment_bank", "payment_account_name", "payment_account_number")]
    if any(account) and not all(account):
        errors["payment_bank"] = _("银行账户须同时填写代收银行、户名和账号。")
    if values["payment_account_number"] and not ACCOUNT_NUMBER.fullmatch(values["payment_account_number"]):
        errors["payment_account_number"] = _("账号只能由数字、空格和连字符组成。")
    if errors:
        raise ValidationError(errors)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    changed = sorted(field for field, value in values.items() if getattr(agency, field) != value)
    for field, value in values.items():
        setattr(agency, field, value)
    agency.full_clean()
    agency.save()
    ledger_append(
        actor=actor,
        agency=agency,
        action="agency.decision_details",
        subject=agency,
        data={
            "fields": changed,
            "reconsideration_body": agency.reconsideration_body,
            "court": agency.court,
            "payment_channel": bool(agency.payment_channel),
        },
        public=True,
    )
    return agency


@transaction.atomic
def service_window_create(*, actor: User | None, agency: Agency, **fields) -> ServiceWindow:
    """Add a service window's information board (岗位信息公示牌) to an agency."""
    window = ServiceWindow(agency=agency, **_window_fields(fields))
    window.full_clean()
    window.save()
    ledger_append(actor=actor, agency=agency, action="service_window.create", subject=window, public=True)
    return window


@transaction.atomic
def service_window_update(*, actor: User | None, window: ServiceWindow, **fields) -> ServiceWindow:
    """Change a service window's board."""
    window = ServiceWindow.objects.select_for_update().get(pk=window.pk)
    for field, value in _window_fields(fields).items():
        setattr(window, field, value)
    window.full_clean()
    window.save()
    ledger_append(
        actor=actor,
        agency=window.agency,
        action="service_window.update",
        subject=window,
        data={"fields": sorted(fields)},
        public=True,
    )
    return window


@transaction.atomic
def service_window_delete(*, actor: User | None, window: ServiceWindow) -> None:
    """Take a service window's board down (its last state stays in the ledger as a digest)."""
    window = ServiceWindow.objects.select_for_update(of=("self",)).select_related("agency").get(pk=window.pk)
    ledger_append(actor=actor, agency=window.agency, action="service_window.delete", subject=window, public=True)
    window.delete()


def _window_fields(fields: dict) -> dict:
    unknown = set(fields) - set(WINDOW_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}
