"""Registering evidence files, correcting their descriptions, the chain of custody, and the integrity scrub."""

from __future__ import annotations

import datetime as dt
import re
import tarfile
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.audit.services import audit_record
from sanxiang.cases.hooks import review
from sanxiang.cases.models import Act, Case, Closure, Inspection, ProductionMeasure, Seizure, Stage
from sanxiang.core.blobs import blob_hash, blob_ingest, blob_local_file
from sanxiang.documents.models import Document
from sanxiang.evidence.archive import export_case
from sanxiang.evidence.hooks import review_voided
from sanxiang.evidence.metadata import media_type, read_capture
from sanxiang.evidence.models import AUDIOVISUAL, EvidenceAnnotation, EvidenceItem, EvidenceKind, ScrubReport
from sanxiang.evidence.recorder import parse_recorder_name
from sanxiang.evidence.search import items_index
from sanxiang.evidence.selectors import cases_with_cleared_review, may_add_evidence, may_annotate, takes_part
from sanxiang.ledger.services import ledger_append

LEDGER_ACTIONS = {
    "evidence.ingest": gettext_lazy("登记证据"),
    "evidence.annotate": gettext_lazy("更正证据备注"),
    "evidence.view": gettext_lazy("查看证据"),
    "evidence.download": gettext_lazy("下载证据"),
    "evidence.export": gettext_lazy("导出证据"),
}
BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def check_name(name: str) -> str:
    """An original file name as it will be kept: no path separators or control characters, not empty."""
    if not name or BAD_NAME.search(name) or name in (".", ".."):
        raise ValidationError(
            {"original_name": _("文件名不能为空，也不能含有路径分隔符或控制字符。")}, code="bad_file_name"
        )
    return name[:255]


def check_ingest(
    *,
    actor,
    original_name: str,
    act: str,
    kind: str,
    case: Case | None,
    inspection: Inspection | None,
    description: str,
    covert: bool = False,
    covert_basis: str = "",
) -> str:
    """Every rule an ingest checks before it reads a byte, for an upload that announces its file before sending it
    (a resumable upload is refused at creation, not after a gigabyte); returns the original name as kept."""
    original_name = check_name(original_name)
    if (case is None) == (inspection is None):
        raise ValidationError(_("证据须属于一个案件或一次现场检查。"), code="no_owner")
    if not may_add_evidence(actor, case=case, inspection=inspection):
        raise PermissionDenied(_("只有参与本案或本次检查的执法人员可以登记证据。"))
    if act not in Act.values or kind not in EvidenceKind.values:
        raise ValidationError(_("请选择执法环节和证据种类。"), code="bad_kind")
    if covert and not covert_basis.strip():
        raise ValidationError(
            {"covert_basis": _("隐蔽录音录像须写明法律依据（不得违反法律规定、侵害当事人合法权益）。")}
        )
    if not description.strip():
        raise ValidationError({"description": _("请备注摄录内容。")})
    if case is not None and case.stage == Stage.ARCHIVED:
        raise ValidationError(_("案件已归档，案卷不得增加材料（《环境行政处罚办法》第七十条）。"), code="archived")
    return original_name


def evidence_ingest(
    *,
    actor,
    source: BinaryIO,
    original_name: str,
    act: str,
    kind: str,
    recorded_by,
    case: Case | None = None,
    inspection: Inspection | None = None,
    device: str = "",
    captured_start: dt.datetime | None = None,
    captured_end: dt.datetime | None = None,
    place: str = "",
    description: str = "",
    speakers: str = "",
    dialogue: str = "",
    covert: bool = False,
    covert_basis: str = "",
    record_document: Document | None = None,
    expected_sha256: str | None = None,
    progress=None,
) -> EvidenceItem:
    """Copy a file into the store (hashed while copied, fsynced, renamed) and only then register it, numbered in its
    case or inspection, with its description and a ledger entry — so a crash never leaves a registered file that is
    missing or partial. With `expected_sha256` (the hash a device recorded at capture) a file that differs is
    refused (core.blobs.DigestMismatch) and nothing is stored. A body-worn recorder's file (evidence.recorder) keeps
    the officer number its name carries, and gives its device when none is entered."""
    original_name = check_ingest(
        actor=actor,
        original_name=original_name,
        act=act,
        kind=kind,
        case=case,
        inspection=inspection,
        description=description,
        covert=covert,
        covert_basis=covert_basis,
    )
    if recorded_by is not None and not takes_part(recorded_by, case=case, inspection=inspection):
        raise PermissionDenied(_("记录人须为参与本案或本次检查的执法人员。"))
    _check_entered_time(captured_start, captured_end)
    digest, size = blob_ingest(
        source, max_bytes=settings.EVIDENCE_MAX_BYTES, expected=expected_sha256, progress=progress
    )
    with blob_local_file(digest) as path:
        capture = read_capture(path, original_name)
    recording = parse_recorder_name(original_name)
    if recording is not None and capture.started is None:
        capture = capture.starting_at(recording.started)  # the recorder wrote when it began into the name
    # the time the file records is the evidence's own and is never overwritten; an entered one fills a gap only
    by_hand = captured_start is not None and capture.started is None
    with transaction.atomic():
        owner = (Case if case else Inspection).objects.select_for_update(of=("self",)).get(pk=(case or inspection).pk)
        # read from the row just locked: the caller's copy of the case may be older than its review
        cleared = cases_with_cleared_review(case=owner if case else None, inspection=None if case else owner)
        items = (
            EvidenceItem.objects.filter(case=owner)
            if case
            else EvidenceItem.objects.filter(inspection=owner, case__isnull=True)
        )
        item = EvidenceItem.objects.create(
            agency=owner.agency,
            case=case,
            inspection=inspection,
            act=act,
            kind=kind,
            number=(items.aggregate(last=Max("number"))["last"] or 0) + 1,
            is_audiovisual=kind in AUDIOVISUAL,
            sha256=digest,
            size=size,
            original_name=original_name,
            media_type=media_type(original_name),
            recorded_by=recorded_by,
            device=device.strip() or (recording.device if recording else ""),
            officer_number=recording.officer_number if recording else "",
            captured_start=capture.started or captured_start,
            captured_end=capture.ended if capture.started else captured_end,
            captured_by_hand=by_hand,
            duration_seconds=capture.duration,
            place=place.strip(),
            latitude=capture.latitude,
            longitude=capture.longitude,
            covert=covert,
            covert_basis=covert_basis.strip(),
            record_document=record_document,
        )
        EvidenceAnnotation.objects.create(
            item=item,
            version=1,
            description=description.strip(),
            speakers=speakers.strip(),
            dialogue=dialogue.strip(),
            created_by=_staff(actor),
        )
        items_index(EvidenceItem.objects.filter(pk=item.pk))
        ledger_append(
            actor=actor,
            agency=owner.agency,
            action="evidence.ingest",
            subject=item,
            data={
                "sha256": digest,
                "size": size,
                "number": item.number,
                "act": act,
                "kind": kind,
                "for": f"{owner._meta.label_lower}:{owner.pk}",
                "covert": covert,
                **({"capture_sha256": expected_sha256} if expected_sha256 else {}),
                **({"captured_by_hand": True} if by_hand else {}),
            },
        )
        for reviewed in cleared:
            if review().refusal(reviewed):  # the agreement no longer covers the materials: tell those concerned
                review_voided(case=reviewed, item=item)
    return item


def _check_entered_time(start: dt.datetime | None, end: dt.datetime | None) -> None:
    """A capture time entered by hand (for a file that may carry none) may not lie in the future, nor end before it
    starts, nor end without a start."""
    now = timezone.now()
    if start is None and end is not None:
        raise ValidationError({"captured_start": _("填写摄录结束时间时，须同时填写开始时间。")})
    if start is not None and (start > now or (end is not None and (end < start or end > now))):
        raise ValidationError({"captured_start": _("摄录时间不能晚于现在，结束不能早于开始。")})


def _staff(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def evidence_annotate(
    *, actor, item: EvidenceItem, description: str, speakers: str = "", dialogue: str = "", reason: str
) -> EvidenceAnnotation:
    """Correct a file's description by a new version with its reason; earlier versions stay."""
    item = EvidenceItem.objects.select_for_update(of=("self",)).select_related("case").get(pk=item.pk)
    if not may_annotate(actor, item):
        raise PermissionDenied(_("只有记录人、本案承办人或检查人员、本机关负责人可以更正证据备注。"))
    if item.case is not None and item.case.stage == Stage.ARCHIVED:
        raise ValidationError(_("案件已归档，证据备注不得修改（《环境行政处罚办法》第七十条）。"), code="archived")
    if not reason.strip():
        raise ValidationError({"reason": _("更正备注须说明理由。")})
    if not description.strip():
        raise ValidationError({"description": _("请备注摄录内容。")})
    version = item.annotations.aggregate(last=Max("version"))["last"] + 1
    annotation = EvidenceAnnotation.objects.create(
        item=item,
        version=version,
        description=description.strip(),
        speakers=speakers.strip(),
        dialogue=dialogue.strip(),
        reason=reason.strip(),
        created_by=_staff(actor),
    )
    items_index(EvidenceItem.objects.filter(pk=item.pk))
    ledger_append(
        actor=actor,
        agency=item.agency,
        action="evidence.annotate",
        subject=item,
        data={"version": version, "number": item.number},
    )
    return annotation


@transaction.atomic
def evidence_access(*, actor, item: EvidenceItem, how: str) -> None:
    """Record a view, download or export of an evidence file in the ledger (its chain of custody) and in the
    security audit log (with the address it was taken to)."""
    if how not in ("view", "download", "export"):
        raise ValueError(how)
    ledger_append(
        actor=actor,
        agency=item.agency,
        action=f"evidence.{how}",
        subject=("evidence.evidenceitem", str(item.pk)),
        data={"sha256": item.sha256, "number": item.number},
    )
    audit_record(
        kind=f"evidence_{how}",
        user=actor,
        agency=item.agency,
        subject=item,
        detail={"sha256": item.sha256, "number": item.number},
    )


def case_file_export(*, case: Case, outdir: Path) -> Path:
    """Write the archived case file (BagIt) of `case` into `outdir` for `sanxiang archive export`; the export is
    recorded in the security audit log first."""
    audit_record(kind="archive_export", user="cli", channel="cli", agency=case.agency, subject=case)
    return export_case(case, outdir)


def evidence_scrub(*, progress=None) -> ScrubReport:
    """Re-hash every stored evidence file and document; the report names every missing or corrupted one."""
    started = timezone.now()
    checked, missing, corrupted = 0, [], []
    stored = [(f"evidence:{pk}", digest) for pk, digest in EvidenceItem.objects.values_list("pk", "sha256")]
    for pk, docx, pdf in Document.objects.values_list("pk", "docx_sha256", "pdf_sha256"):
        stored += [(f"document:{pk}", docx)] + ([(f"document:{pk}:pdf", pdf)] if pdf else [])
    for label, digest in stored:
        found = blob_hash(digest)
        checked += 1
        if found is None:
            missing.append({"object": label, "sha256": digest})
        elif found != digest:
            corrupted.append({"object": label, "sha256": digest, "found": found})
        if progress:
            progress(checked)
    return ScrubReport.objects.create(
        started_at=started, finished_at=timezone.now(), checked=checked, missing=missing, corrupted=corrupted
    )


def recordings_link(*, case: Case, act: str, measure: Seizure | ProductionMeasure | Closure) -> int:
    """Link the audio/video records of `act` in the case that no other measure claims yet to `measure`, in the
    measure's transaction; returns how many (cases.hooks.measure_recordings, which needs at least one). A measure
    decided in a case of its own also takes those recorded on the case it came from (an emergency seizure is
    filmed before its case exists)."""
    field = {Seizure: "seizure", ProductionMeasure: "production_measure", Closure: "closure"}[type(measure)]
    cases = [case.pk, case.origin_id] if case.origin_id else [case.pk]
    unclaimed = EvidenceItem.objects.filter(case__in=cases, act=act, is_audiovisual=True, **{f"{field}__isnull": True})
    return unclaimed.update(**{field: measure})


def case_file_pack(*, case: Case) -> str:
    """Pack a closed case's file as a BagIt bag and store the bag (as one tar file) by its hash; returns the hash,
    which the case records as it is archived (cases.hooks.case_file_packer)."""
    with tempfile.TemporaryDirectory(prefix="sanxiang-archive-") as folder:
        bag = export_case(case, Path(folder) / f"case-{case.pk}")
        packed = Path(folder) / "bag.tar"
        with tarfile.open(packed, "w") as tar:
            tar.add(bag, arcname=bag.name)
        with packed.open("rb") as source:
            digest, _size = blob_ingest(source)
    return digest
