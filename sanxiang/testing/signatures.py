"""A completed inspection whose 现场检查笔录 waits for its signatures, and strokes a signature pad would send."""

import datetime as dt

from sanxiang.cases import services
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.documents.models import Document
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import make_party

# Two strokes of a hand signature in the pad's 1000 x 400 box, [x, y, ms from the first touch].
STROKES = [
    [[100, 200, 0], [180, 150, 40], [260, 230, 85], [340, 160, 130]],
    [[420, 120, 600], [430, 260, 660], [520, 250, 720]],
]


def inspection_record(world):
    """The inspection (officer and partner, in 哈尔滨) and its record, issued when it was completed just now."""
    start = earlier_today(dt.timedelta(hours=2))
    inspection = services.inspection_start(
        actor=world.people.officer,
        agency=world.harbin,
        party=make_party(world.harbin),
        place="厂区",
        started_at=start,
        officers=[world.people.officer, world.people.partner],
        **EMERGENCY,
    )
    services.inspection_complete(
        actor=world.people.officer,
        inspection=inspection,
        ended_at=halfway_to_now(start),
        findings="脱硫设施未运行",
        violation_found=True,
        signature="refused",
        signature_note="法定代表人拒绝签名，见证人签名",
    )
    return inspection, Document.objects.get(doc_type="inspection_record", subject_id=str(inspection.pk))
