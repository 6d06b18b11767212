"""A clue in a case: when a case is opened from the inspection of a monitoring task, the sealed hours of raw packets
that hold the exceedances' data and a hash manifest become its first evidence items (电子数据), and its
第四十一条审核 opens. An hour still open is listed as pending and added by the worker once sealed.

The manifest lets anyone check each packet against its segment (offset, length, SHA-256) and each segment's hash
against the ledger entry `monitoring.segment_seal`, and recompute each average from the values it lists."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.cases.models import Act, Case
from sanxiang.core.blobs import blob_open
from sanxiang.core.rules import rule
from sanxiang.evidence.models import EvidenceItem, EvidenceKind
from sanxiang.evidence.selectors import takes_part
from sanxiang.evidence.services import evidence_ingest
from sanxiang.inspections.task_models import Task
from sanxiang.ledger.models import Entry
from sanxiang.ledger.vocabulary import subject_type
from sanxiang.monitoring import segments, services
from sanxiang.monitoring.checklist import CHECK, open_check
from sanxiang.monitoring.clues import EXCEEDANCE, TASKED
from sanxiang.monitoring.models import Averaging, CaseSegment, EvidenceCheck, Exceedance, Packet, Reading, Segment
from sanxiang.monitoring.pollutants import name_of

HOW_TO_VERIFY = (
    "逐个报文：取 segments 中同一 segment_sha256 的证据文件，自 offset 起读取 length 个字节，其 SHA-256 应等于 sha256；"
    "逐个分段：证据文件的 SHA-256 应等于 segment_sha256，并与账本中 monitoring.segment_seal 条目（ledger_index）记载的"
    " sha256 一致；小时均值 = 所列计入分钟值之和 ÷ 个数，日均值 = 所列有效小时均值之和 ÷ 个数，与 limit 比较。"
)


def case_evidence_add(*, actor, case: Case) -> None:
    """The hook `cases.case_opened`: a case opened from the inspection of a monitoring task takes the task's
    exceedances — their packets' hours as evidence, the manifest, the art-41 check. Other cases: nothing."""
    if case.inspection_id is None:
        return
    tasks = Task.objects.filter(inspection_id=case.inspection_id, source=Task.Source.MONITORING)
    exceedances = list(Exceedance.objects.filter(task__in=tasks, status=TASKED).order_by("period_start", "pk"))
    if not exceedances:
        return
    for exceedance in exceedances:
        exceedance = EXCEEDANCE.lock(exceedance, "evidence")
        exceedance.case = case
        EXCEEDANCE.commit(actor, exceedance, "evidence", {"case": case.pk})
    open_check(case=case)
    hours = Segment.objects.filter(pk__in=_packets(case).values("segment_id")).order_by("hour")
    for segment in hours:
        CaseSegment.objects.create(case=case, segment=segment)
    case_segments_add(actor=actor, case=case)


def _recorder(actor, case: Case):
    """Who records the items: the one who opened the case if they take part in it, else (the platform acting, or a
    person the evidence rules would refuse) the first officer of the inspection that found the facts."""
    if actor is not None and takes_part(actor, case=case):
        return actor
    return case.inspection.officers.order_by("pk").first()


def _packets(case: Case):
    """The minute packets of the case's exceedances: those of the exceedance's device within its period."""
    periods = Q(pk__in=[])
    for exceedance in Exceedance.objects.filter(case=case):
        periods |= Q(
            device_id=exceedance.device_id,
            data_time__gte=exceedance.period_start,
            data_time__lt=exceedance.period_end,
        )
    return Packet.objects.filter(periods, cn="2051")


def case_segments_add(*, actor=None, case: Case) -> int:
    """Add the case's hours sealed since (an hour that is over is sealed now), then a manifest of them all; returns
    how many hours were added."""
    waiting = list(CaseSegment.objects.filter(case=case, item__isnull=True).select_related("segment"))  # hours only
    added = 0
    for link in waiting:
        segment = link.segment
        if segment.sealed_at is None:
            try:
                segment = services.segment_seal(segment=segment)
            except ValueError:
                continue  # the hour is still open: it waits
        with blob_open(segment.sha256) as source:
            item = evidence_ingest(
                actor=None,
                source=source,
                original_name=f"HJ212-{segment.hour:%Y%m%d%H}Z.hj212",
                act=Act.EVIDENCE,
                kind=EvidenceKind.ELECTRONIC,
                recorded_by=_recorder(actor, case),
                case=case,
                device=_("在线监控平台"),
                captured_start=segment.hour,
                captured_end=segment.hour + dt.timedelta(hours=1),
                description=_("在线监控原始报文分段 %(hour)s（UTC），封存 SHA-256 %(sha)s，%(packets)d 个报文")
                % {"hour": f"{segment.hour:%Y-%m-%d %H}:00", "sha": segment.sha256, "packets": segment.packets},
                expected_sha256=segment.sha256,
            )
        link.segment, link.item = segment, item
        link.save(update_fields=["item"])
        added += 1
    if added or EvidenceCheck.objects.filter(case=case, manifest__isnull=True).exists():
        _manifest_ingest(actor, case)
    return added


def _manifest_ingest(actor, case: Case) -> EvidenceItem:
    body = json.dumps(manifest(case), ensure_ascii=False, indent=1, default=str).encode()
    check = EvidenceCheck.objects.get(case=case)
    pending = CaseSegment.objects.filter(case=case, item__isnull=True).count()
    item = evidence_ingest(
        actor=None,
        source=io.BytesIO(body),
        original_name=f"在线监控证据清单-{case.pk}-{timezone.now():%Y%m%d%H%M%S}.json",
        act=Act.EVIDENCE,
        kind=EvidenceKind.ELECTRONIC,
        recorded_by=_recorder(actor, case),
        case=case,
        device=_("在线监控平台"),
        description=_("在线监控超标线索的哈希清单：超标时段、均值计算、限值及其依据，每个报文的分段位置与 SHA-256")
        + (_("；尚有 %(count)d 个小时分段未封存，封存后补充") % {"count": pending} if pending else ""),
    )
    CaseSegment.objects.create(case=case, segment=None, item=item)
    check = CHECK.lock(check, "manifest")
    check.manifest = item
    CHECK.commit(None, check, "manifest", {"item": item.pk, "sha256": item.sha256, "pending": pending})
    return item


def _seal_indexes(segments_: list[Segment]) -> dict[str, int]:
    """The ledger index of each segment's seal, by segment id (as text, the ledger's subject id), in one query."""
    if not segments_:
        return {}
    return dict(
        Entry.objects.filter(
            action="monitoring.segment_seal",
            subject_type=subject_type(segments_[0]),
            subject_id__in=[str(segment.pk) for segment in segments_],
        ).values_list("subject_id", "index")
    )


def _read(segment: Segment, packet: Packet) -> bytes:
    if segment.sealed_at:
        with blob_open(segment.sha256) as source:
            source.seek(packet.offset)
            return source.read(packet.length)
    with segments.path_of(segment.hour).open("rb") as source:
        source.seek(packet.offset)
        return source.read(packet.length)


def _finding(exceedance: Exceedance) -> dict:
    limit = exceedance.limit
    hour_rule = rule("monitoring.hour_valid_minutes", exceedance.agency)
    values = Reading.objects.filter(
        point_id=exceedance.point_id,
        pollutant=exceedance.pollutant,
        averaging="minute",
        data_time__gte=exceedance.period_start,
        data_time__lt=exceedance.period_end,
    ).order_by("data_time")
    return {
        "id": exceedance.pk,
        "point": str(exceedance.point),
        "mn": exceedance.device.mn,
        "pollutant": exceedance.pollutant,
        "pollutant_name": name_of(exceedance.pollutant),
        "averaging": exceedance.averaging,
        "period_start": exceedance.period_start.isoformat(),
        "period_end": exceedance.period_end.isoformat(),
        "average": str(exceedance.average),
        "valid_count": exceedance.valid_count,
        "excluded": exceedance.excluded,
        "computation": (
            f"小时均值 = 计入的分钟值（标志 N、不在标记时段、时钟无偏差、设备已审核）之和 ÷ 个数，"
            f"至少 {hour_rule.number} 个（{hour_rule.citation}）"
            if exceedance.averaging == Averaging.HOUR
            else f"日均值 = 有效小时均值之和 ÷ 有效小时数，至少 "
            f"{rule('monitoring.day_valid_hours', exceedance.agency).number} 个"
        ),
        "limit": {
            "value": str(exceedance.limit_value),
            "unit": exceedance.limit_unit,
            "source": exceedance.limit_source,
            "valid_from": limit.valid_from,
            "valid_to": limit.valid_to,
        },
        "values": [
            [reading.data_time.isoformat(), reading.value, reading.flag, reading.skewed, reading.device_id]
            for reading in values
        ],
    }


def manifest(case: Case) -> dict:
    """The hash manifest of a case's monitoring evidence (see HOW_TO_VERIFY)."""
    links = {
        link.segment_id: link
        for link in CaseSegment.objects.filter(case=case, segment__isnull=False).select_related("segment", "item")
    }
    # a packet of the periods stored after the case's hours were linked (补传) waits for the round that links its hour
    packets = (
        _packets(case)
        .filter(segment_id__in=list(links))
        .select_related("device")
        .order_by("data_time", "device_id", "qn", "part")
    )
    sealed = _seal_indexes([link.segment for link in links.values()])
    rows = []
    for packet in packets:
        segment = links[packet.segment_id].segment
        rows.append(
            {
                "mn": packet.device.mn,
                "qn": packet.qn,
                "part": packet.part,
                "cn": packet.cn,
                "data_time": packet.data_time.isoformat(),
                "received_at": packet.received_at.isoformat(),
                "skewed": packet.skewed,
                "segment_hour": segment.hour.isoformat(),
                "segment_sha256": segment.sha256 or None,
                "offset": packet.offset,
                "length": packet.length,
                "sha256": hashlib.sha256(_read(segment, packet)).hexdigest(),
            }
        )
    return {
        "case": case.pk,
        "generated_at": timezone.now().isoformat(),
        "how_to_verify": HOW_TO_VERIFY,
        "findings": [
            _finding(exceedance)
            for exceedance in Exceedance.objects.filter(case=case)
            .select_related("agency", "device", "point__party", "limit")
            .order_by("pk")
        ],
        "segments": [
            {
                "hour": link.segment.hour.isoformat(),
                "sha256": link.segment.sha256 or None,
                "size": link.segment.size,
                "packets": link.segment.packets,
                "sealed_at": link.segment.sealed_at.isoformat() if link.segment.sealed_at else None,
                "ledger_index": sealed.get(str(link.segment_id)),
                "evidence_number": link.item.number if link.item else None,
            }
            for link in sorted(links.values(), key=lambda link: link.segment.hour)
        ],
        "packets": rows,
    }


def pending_segments_add() -> int:
    """The worker's round: add to their cases the hours sealed since the cases were opened."""
    added = 0
    for case_id in CaseSegment.objects.filter(item__isnull=True).values_list("case_id", flat=True).distinct():
        with transaction.atomic():
            added += case_segments_add(case=Case.objects.get(pk=case_id))
    return added
