"""Parties (当事人) and on-site inspections (现场检查)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.cases import hooks
from sanxiang.cases.gates import acting_officer, certified_officers, division_check
from sanxiang.cases.models import (
    ORGANISATIONS,
    Case,
    CaseKind,
    EmergencyGround,
    Inspection,
    InspectionOfficer,
    Party,
    SignatureStatus,
    Source,
)
from sanxiang.cases.search import parties_index
from sanxiang.cases.selectors import may_correct_party, may_keep_directory
from sanxiang.cases.services.base import CASE, commit, issue, moment_facts
from sanxiang.core.facts import CHANGE_PREFIX
from sanxiang.core.identifiers import normalize_resident_id, normalize_uscc
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.ledger.services import ledger_append, staff_refs
from sanxiang.ledger.transitions import NEW, Move, StateMachine

OPEN, COMPLETED = Inspection.Status.OPEN, Inspection.Status.COMPLETED
INSPECTION = StateMachine(
    model=Inspection,
    prefix="inspection",
    related=("agency", "party"),
    versioned=False,
    refused=gettext_lazy("检查已经结束。"),
    moves={
        "start": Move({NEW}, OPEN, gettext_lazy("开始现场检查"), roles={"officer"}),
        "complete": Move({OPEN}, COMPLETED, gettext_lazy("完成现场检查"), roles={"officer"}),
    },
)

PARTY_FIELDS = (
    "kind",
    "name",
    "uscc",
    "id_number",
    "legal_representative",
    "address",
    "phone",
    "industry",
    "key_polluter",
    "is_minor",
    "division",
    "permit_number",
    "tier",
)
PERMIT_NUMBER = re.compile(r"[0-9A-Za-z]{1,40}")


def party_facts(party: Party) -> dict:
    # Organisations are public actors; for a natural person only the kind goes into the ledger.
    return {"kind": party.kind, "uscc": party.uscc} if party.is_organisation else {"kind": party.kind}


@transaction.atomic
def party_create(*, actor, agency: Agency, **fields) -> Party:
    """Register an enterprise or a person the agency supervises (identifiers are validated by check digit); by the
    agency's officers and heads, who keep its directory (may_keep_directory)."""
    unknown = set(fields) - set(PARTY_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not may_keep_directory(actor, agency):
        raise PermissionDenied(_("只有本机关的执法人员或负责人可以登记和更正当事人信息。"))
    refuse_control_characters(fields)
    party = Party(agency=agency, **fields)
    party_check(party)
    party.save()
    parties_index(Party.objects.filter(pk=party.pk))
    ledger_append(actor=actor, agency=agency, action="party.create", subject=party, data=party_facts(party))
    return party


@transaction.atomic
def party_correct(*, actor, party: Party, reason: str, **changes) -> Party:
    """更正当事人信息: the officers and heads of the agency that registered the party correct its record, with a
    reason. The ledger entry names every corrected field and, for what is not personal data, its old and new value
    (an ID number, an address, a natural person's name never enter the ledger; only the record's digest does)."""
    unknown = set(changes) - set(PARTY_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    refuse_control_characters(changes)
    if not may_correct_party(actor, party):
        raise PermissionDenied(_("只有登记该当事人的机关的执法人员或负责人可以更正当事人信息。"))
    reason = reason_check(reason, what=_("更正理由"))
    party = Party.objects.select_for_update().get(pk=party.pk)
    before = {field: getattr(party, field) for field in PARTY_FIELDS}
    for field, value in changes.items():
        setattr(party, field, value)
    party_check(party)
    corrected = [field for field in PARTY_FIELDS if getattr(party, field) != before[field]]
    if not corrected:
        raise ValidationError(_("没有需要更正的内容。"), code="unchanged")
    party.save()
    parties_index(Party.objects.filter(pk=party.pk))
    data = correction_facts(party, before, corrected, reason)
    ledger_append(actor=actor, agency=party.agency, action="party.correct", subject=party, data=data)
    return party


def party_check(party: Party) -> None:
    """A party's record as it may be saved (registration, correction and the directory's import alike): text
    trimmed, identifiers normalised and checked by their check digit, the area a 6-digit code."""
    for field in PARTY_FIELDS:
        value = getattr(party, field)
        if isinstance(value, str):
            setattr(party, field, value.strip())
    party.uscc, party.id_number = normalize_uscc(party.uscc), normalize_resident_id(party.id_number)
    # the agency is the caller's own object, not input: checking it exists would cost a query per imported row
    party.full_clean(exclude=["agency"], validate_unique=False, validate_constraints=False)
    if party.division:
        division_check(party.division, field="division")
    if party.permit_number and not PERMIT_NUMBER.fullmatch(party.permit_number):
        raise ValidationError({"permit_number": _("排污许可证编号只能由字母和数字组成。")})


def correction_facts(party: Party, before: dict, corrected: list[str], reason: str) -> dict:
    """What the entry of a correction says: the fields corrected, the reason, and for what is not personal data
    its old and new value."""
    data = {**party_facts(party), "corrected": corrected, "reason": reason}
    for field in set(corrected) - _personal(party.kind) - _personal(before["kind"]):
        data[field], data[CHANGE_PREFIX + field] = getattr(party, field), before[field]
    return data


def _personal(kind: str) -> set[str]:
    """The fields of a party of this kind that are personal data: of an organisation the PERSONAL_FIELDS, of a
    natural person everything but its kind."""
    if kind in ORGANISATIONS:
        return set(Party.PERSONAL_FIELDS)
    return set(PARTY_FIELDS) - {"kind"}


def _late(late: dict | None) -> dict:
    """What the ledger entry of an inspection recorded late (补录) says of it: the two days, not the reason."""
    return {"late": {"acted_on": late["acted_on"], "recorded_on": timezone.localdate()}} if late else {}


@transaction.atomic
def inspection_start(
    *,
    actor,
    agency: Agency,
    party: Party,
    place: str,
    started_at: dt.datetime,
    officers,
    approval=None,
    emergency_ground: str = "",
    emergency_note: str = "",
    late_reason: str = "",
) -> Inspection:
    """Open an on-site inspection; at least two officers, each with a certificate valid that day, must be present.
    It begins on a head's approval (`approval`, the inspections app's 行政检查审批) or, in an emergency, on its
    ground, to be approved afterwards; the inspections app admits it (hooks.inspection_admission)."""
    INSPECTION.require(actor, agency, "start")
    day = timezone.localtime(started_at).date()
    late = moment_facts(started_at, _("开始时间"), late_reason)
    certificates = certified_officers(officers, on=day, agency=agency)
    acting_officer(actor, certificates)
    if emergency_ground and emergency_ground not in EmergencyGround.values:
        raise ValidationError({"emergency_ground": _("请选择紧急事由。")})
    refuse_control_characters({"place": place, "emergency_note": emergency_note})
    if len(emergency_note.strip()) > 300:
        raise ValidationError({"emergency_note": _("紧急情况说明不超过 300 字。")})
    inspection = Inspection.objects.create(
        agency=agency,
        party=party,
        place=place.strip(),
        started_at=started_at,
        emergency_ground=emergency_ground,
        emergency_note=emergency_note.strip(),
    )
    InspectionOfficer.objects.bulk_create(
        InspectionOfficer(inspection=inspection, officer_id=holder, certificate=certificate)
        for holder, certificate in certificates.items()
    )
    admitted = hooks.inspection_admission.provider(actor=actor, inspection=inspection, approval=approval)
    INSPECTION.start(inspection, "start")
    INSPECTION.commit(
        actor,
        inspection,
        "start",
        {
            "officers": staff_refs(certificates),
            "certificates": sorted(c.number for c in certificates.values()),
        }
        | admitted
        | _late(late),
    )
    return inspection


@transaction.atomic
def inspection_complete(
    *,
    actor,
    inspection: Inspection,
    ended_at: dt.datetime,
    findings: str,
    violation_found: bool,
    signature: str,
    signature_note: str = "",
    late_reason: str = "",
) -> Inspection:
    """Close the inspection with its 现场检查（勘察）笔录; a refusal to sign or an absent party is noted, not fatal
    (《环境行政处罚办法》第四十三条)."""
    inspection = INSPECTION.lock(inspection, "complete")
    acting_officer(actor, inspection.officers.all())
    late = moment_facts(ended_at, _("结束时间"), late_reason)
    if ended_at <= inspection.started_at:
        raise ValidationError({"ended_at": _("结束时间必须晚于开始时间。")})
    if signature not in SignatureStatus.values:
        raise ValidationError({"signature": _("请选择签名情况。")})
    if signature != SignatureStatus.SIGNED and not signature_note.strip():
        raise ValidationError({"signature_note": _("当事人拒签或不在场时，须注明情况（见证人等）。")})
    if not findings.strip():
        raise ValidationError({"findings": _("请填写检查情况。")})
    inspection.ended_at, inspection.findings, inspection.violation_found = ended_at, findings.strip(), violation_found
    inspection.signature, inspection.signature_note = signature, signature_note.strip()
    officers = inspection.inspectionofficer_set.select_related("officer", "certificate")
    start, end = timezone.localtime(inspection.started_at), timezone.localtime(ended_at)
    issue(
        actor,
        _InspectionCase(inspection),
        "inspection_record",
        end.date(),
        subject=inspection,
        place=inspection.place,
        period=f"{start:%Y-%m-%d %H:%M} 至 {end:%H:%M}",
        findings=inspection.findings,
        officers="、".join(f"{row.officer.full_name}（{row.certificate.number}）" for row in officers),
        signature_text=f"{inspection.get_signature_display()} {inspection.signature_note}".strip(),
    )
    INSPECTION.commit(
        actor, inspection, "complete", {"violation_found": violation_found, "signature": signature} | _late(late)
    )
    return inspection


class _InspectionCase:
    """Lets an inspection reuse the case document helper (same agency and party fields, no case number)."""

    def __init__(self, inspection: Inspection):
        self.agency, self.party, self.number, self.title = inspection.agency, inspection.party, "", ""


@transaction.atomic
def case_open(
    *,
    actor,
    agency: Agency,
    party: Party,
    title: str,
    source: str,
    act_date: dt.date,
    discovered_on: dt.date,
    summary: str = "",
    inspection: Inspection | None = None,
    violation=None,
    act_continuing: bool = False,
    act_ended_on: dt.date | None = None,
    serious_harm: bool = False,
    kind: str = CaseKind.PENALTY,
    origin: Case | None = None,
    act_place: str = "",
    act_division: str = "",
) -> Case:
    """Register a clue (案源登记); the 15-day clock to decide on filing starts at `discovered_on`. A case derived
    from an earlier one (services.derived) names its kind and origin."""
    if source not in Source.values:
        raise ValidationError({"source": _("请选择案件来源。")})
    if inspection is not None and (inspection.party_id != party.pk or inspection.status != Inspection.Status.COMPLETED):
        raise ValidationError({"inspection": _("只能由已完成的、针对同一当事人的现场检查开启案件。")})
    if act_date > discovered_on:
        raise ValidationError({"act_date": _("违法行为发生日不能晚于发现日期。")})
    if act_division:
        division_check(act_division)
    if act_continuing and act_ended_on and act_ended_on < act_date:
        raise ValidationError({"act_ended_on": _("违法行为终了日不能早于发生日。")})
    case = Case.objects.create(
        agency=agency,
        party=party,
        title=title.strip(),
        source=source,
        summary=summary.strip(),
        inspection=inspection,
        violation=violation,
        act_date=act_date,
        act_continuing=act_continuing,
        act_ended_on=act_ended_on,
        serious_harm=serious_harm,
        discovered_on=discovered_on,
        kind=kind,
        origin=origin,
        act_place=act_place.strip(),
        act_division=act_division,
    )
    CASE.start(case, "open")
    derived = {"kind": kind, "origin": origin.pk} if origin else {}
    data = {"source": source, "party": party_facts(party), "act_division": act_division}
    case = commit(actor, case, "open", data | derived)
    hooks.case_opened(actor=actor, case=case)
    return case
