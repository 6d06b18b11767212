"""Demo signatures on site: an inspection of a chemical plant in 哈尔滨, photographed by the officers, whose
现场检查（勘察）笔录 they sign on a phone, the plant's manager refusing to sign and a neighbouring business's employee
signing as witness."""

from __future__ import annotations

import datetime as dt
import io
import math

from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import EmergencyGround
from sanxiang.core.calendar import earlier_today
from sanxiang.demo.story import site_photo
from sanxiang.documents.models import Document
from sanxiang.documents.services.signatures import signature_add, signature_refusal_record
from sanxiang.evidence.services import evidence_ingest
from sanxiang.inspections import emergencies
from sanxiang.inspections.models import Approval, InspectionItem


def _strokes(seed: int) -> list:
    """A hand-signature-like scrawl, different for each signer, with the timing a pen of ~8 points per 60 ms has."""
    strokes, ms = [], 0
    for stroke in range(3):
        points = []
        for step in range(24):
            x = 120 + stroke * 260 + step * 9
            y = 200 + 80 * math.sin((step + seed) / 3) * (1 if stroke % 2 else -1)
            points.append([round(x, 1), round(y, 1), ms])
            ms += 16
        strokes.append(points)
        ms += 250
    return strokes


# What the second officer photographed during the inspection (08:30–09:40), for the record and the case it leads to.
PHOTOS = (
    ("08:41:17", "危险废物贮存库入口，未设置危险废物识别标志"),
    ("08:52:03", "贮存库外东侧空地露天堆放的废包装桶，约30个，部分有残液"),
    ("09:10:45", "现场负责人陪同检查，执法人员出示执法证件"),
)


def signed_inspection(story, staff, parties):
    day = story.day(12)
    officer, partner = staff["hrb.officer1"], staff["hrb.officer2"]

    def run():
        start = earlier_today(dt.timedelta(minutes=90))
        inspection = services.inspection_start(
            actor=officer,
            agency=officer.agency,
            party=parties["哈尔滨北方精细化工有限公司"],
            place="哈尔滨北方精细化工有限公司危险废物贮存库",
            started_at=start,
            officers=[officer, partner],
            # a neighbour's call that drums leak behind the store: inspected at once, approved the next day
            emergency_ground=EmergencyGround.COMPLAINT,
            emergency_note="群众电话举报危险废物贮存库外露天堆放废包装桶并有残液渗漏",
        )
        services.inspection_complete(
            actor=officer,
            inspection=inspection,
            ended_at=start + (timezone.now() - start) * 7 / 9,
            findings="危险废物贮存库未设置识别标志，部分废包装桶露天堆放于库外。",
            violation_found=True,
            signature="refused",
            signature_note="生产部经理拒绝签名，见证人签名",
        )
        for taken, description in PHOTOS:
            evidence_ingest(
                actor=partner,
                source=io.BytesIO(site_photo(day, taken)),
                original_name=f"IMG_{day:%m%d}_{taken[:5].replace(':', '')}.jpg",
                act="inspection",
                kind="photo",
                recorded_by=partner,
                inspection=inspection,
                device="华为手机",
                place=inspection.place,
                description=description,
            )
        record = Document.objects.get(doc_type="inspection_record", subject_id=str(inspection.pk))
        for seed, person in enumerate((officer, partner)):
            signature_add(
                actor=officer,
                document=record,
                version_sha256=record.docx_sha256,
                role="officer",
                officer=person,
                strokes=_strokes(seed),
            )
        signature_refusal_record(
            actor=officer,
            document=record,
            version_sha256=record.docx_sha256,
            note="生产部经理王某阅看笔录后拒绝签名，称须请示公司负责人。",
            witness_name="陈见证（相邻物流公司员工）",
            witness_strokes=_strokes(5),
        )

    story.add(day, run)
    story.add(story.later(day, 1), lambda: _ratify(staff["hrb.head"]))


def _ratify(head) -> None:
    """The head approves the emergency inspection the next working day, on the hazardous-waste item."""
    approval = Approval.objects.get(
        inspection__party__name="哈尔滨北方精细化工有限公司", status=Approval.Status.AWAITING
    )
    item = InspectionItem.objects.get(agency=head.agency, code=f"{head.agency.code}-SJ-004")
    emergencies.approval_ratify(actor=head, approval=approval, items=[item], note="情况紧急，同意先行检查")
