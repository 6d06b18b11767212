import datetime as dt
import subprocess
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from sanxiang.agencies.models import Agency, Certificate, User
from sanxiang.cases.models import Case, Challenge, OnSitePenalty, Party, Seizure, Stage, Suspension
from sanxiang.cases.selectors import case_powers
from sanxiang.core.blobs import blob_exists
from sanxiang.disclosures.models import Disclosure
from sanxiang.documents.models import Document
from sanxiang.documents.selectors import signing_state
from sanxiang.evidence.models import EvidenceItem
from sanxiang.inspections.models import Approval, InspectionRules, ItemFrequency
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import latest_checkpoint, latest_timestamp
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.timestamping import token_problems
from sanxiang.ledger.verification import verify_log
from sanxiang.ledger.witnessing import standing
from sanxiang.powers.models import Power
from sanxiang.publicity.models import Publication, SubscriptionNotice
from sanxiang.review.models import Coordination, Review, Round
from sanxiang.supervision.models import Notice
from sanxiang.uploads.models import Upload
from sanxiang.web.models import Notification


def test_the_demo_tells_a_year_of_cases_through_the_services_loads_once_and_its_ledger_verifies(db):
    call_command("demo", year_scale="none", stdout=StringIO())
    counts = (
        Agency.objects.count(),
        User.objects.count(),
        Certificate.objects.count(),
        Case.objects.count(),
        Entry.objects.count(),
    )
    assert counts[0] == 22 and counts[3] >= 12
    stages = set(Case.objects.values_list("stage", flat=True))
    assert {
        Stage.CLUE,
        Stage.REVIEWING,
        Stage.NOTIFIED,
        Stage.DECIDING,
        Stage.DECIDED,
        Stage.SERVED,
        Stage.ARCHIVED,
        Stage.NOT_FILED,
        Stage.WITHDRAWN,
    } <= stages
    assert Case.objects.filter(review_required=True, stage=Stage.DECIDING, review_passed_at__isnull=True).exists()
    assert (
        EvidenceItem.objects.filter(is_audiovisual=True).exists()
        and EvidenceItem.objects.filter(kind="photo", captured_start__isnull=False, latitude__isnull=False).exists()
    )
    # camera clips arrive by resumable upload, cut half-way and resumed, registered as their capture hash
    resumed = Upload.objects.filter(evidence__isnull=False).select_related("evidence").first()
    assert resumed is not None and resumed.evidence.sha256 == resumed.capture_sha256
    # named by the body-worn recorder: its device and its wearer's certificate, the wearer registered as recorder
    clip = resumed.evidence
    assert clip.device and clip.officer_number in clip.recorded_by.certificates.values_list("number", flat=True)
    assert all(
        blob_exists(digest)
        for digest in Case.objects.filter(stage=Stage.ARCHIVED).values_list("archive_sha256", flat=True)
    )
    assert {"230100", "230200", "230600", "231000", "230102"} <= set(
        Case.objects.values_list("agency__code", flat=True)
    )
    # every clue names the place of its act: none is left that could be neither filed nor transferred
    assert not Case.objects.filter(act_division="").exists()
    # one legal review per way a review ends: agreed, agreed after a resubmission, overruled by the heads together,
    # upheld and waiting for corrections, and one past its period with its alert to the head
    assert set(Review.objects.values_list("status", flat=True)) == {"agreed", "overruled", "problems", "open"}
    assert Round.objects.filter(number=2, outcome="agree").exists()
    # a 现场检查笔录 signed by its two officers, the manager's refusal witnessed: complete, with its signed copy
    record = Document.objects.get(doc_type="inspection_record", signatures__status="refused")
    assert signing_state(record).complete and record.signed_docx_sha256
    # a 个体工商户 fined 10,000 yuan: a 较大数额 for it as for a citizen (hearing offered, reviewed), then closed
    # a 按日连续处罚 decided in its own case, through notice, a waived hearing and legal review
    daily = Case.objects.get(kind="daily_penalty")
    assert daily.origin.correction_orders.exists() and daily.hearing_offered and daily.hearing_waived_on
    assert daily.stage == Stage.SERVED and daily.reviews.get().status == "agreed"
    # an emergency seizure carried out first, then reviewed and approved within 24 hours
    sealed = Seizure.objects.get(emergency=True)
    assert sealed.approved_by and sealed.reported_at - sealed.started_at < dt.timedelta(hours=24)
    assert sealed.case.reviews.get().status == "agreed" and sealed.recordings.exists()
    revoked = Challenge.objects.get(outcome="revoked")
    assert revoked.case.stage == Stage.CLOSED
    assert revoked.case.publications.get().status == "withdrawn"
    notice = Case.objects.get(service_method="public_notice")
    assert (notice.served_on - notice.service_notice_on).days >= 30
    assert Suspension.objects.filter(kind="monitoring", ended_on__isnull=False).exists()
    shop = Case.objects.get(party__kind="individual_business")
    assert shop.hearing_offered and shop.review_required and shop.stage == Stage.CLOSED
    # a works closed with the city government's approval, decided after it and filmed
    closed = Case.objects.get(kind="closure")
    assert closed.closure.approved_on <= closed.decided_on and closed.closure.recordings.exists()
    assert closed.stage == Stage.SERVED and closed.collective_held_on and closed.reviews.get().status == "agreed"
    # decisions on the spot at every step of their 备案, one filed late with its reason and the head's objection
    assert set(OnSitePenalty.objects.values_list("status", flat=True)) == {"decided", "filed", "acknowledged"}
    late = OnSitePenalty.objects.get(filing_late_reason__gt="")
    assert late.filed_late and late.sound is False and late.acknowledgement
    assert Coordination.objects.filter(decision="overrule", discussion__isnull=False).exists()
    assert Coordination.objects.filter(decision="uphold").exists()
    assert Notification.objects.filter(key__startswith="review:", user__username="hrb.head").exists()
    statuses = set(Publication.objects.values_list("status", flat=True))
    assert statuses == {"draft", "published", "withdrawn", "withheld", "expired"}
    assert Publication.objects.filter(status="expired", end_reason="公示期满").exists()
    assert Publication.objects.filter(status="expired", end_reason__contains="信用修复").exists()
    assert Publication.objects.filter(versions__number=2, versions__published_at__isnull=False).exists()
    assert any(p.published_on > p.due_on for p in Publication.objects.filter(published_on__isnull=False))
    # the readers who follow decisions by e-mail: a notice for each publication, correction and withdrawal they follow
    notices = SubscriptionNotice.objects.exclude(event="confirm")
    assert {"published", "corrected"} <= set(notices.values_list("event", flat=True))
    assert not notices.filter(subscription__confirmed_at__isnull=True).exists()
    # pre-disclosure of two bureaus, one item corrected by a second version, one draft still waiting for review
    assert Disclosure.objects.filter(status="published").values("agency").distinct().count() == 2
    assert Disclosure.objects.filter(versions__number=2, versions__published_at__isnull=False).exists()
    assert Disclosure.objects.filter(status="unpublished").count() == 1
    # the province's and both bureaus' powers, the violations hung on them (a case names its power), items with
    # caps per tier, rules
    assert set(Power.objects.values_list("agency__code", "kind").distinct()) >= {
        (code, kind)
        for code in ("230000", "230100", "230200")
        for kind in ("penalty", "coercion", "inspection", "licensing")
    }
    fined = Case.objects.filter(violation__code="DQ-99", agency__code="230100").first()
    assert [power.code for power in case_powers(fined)] == ["230100-CF-001"]
    assert ItemFrequency.objects.filter(tier="key", draw_percent=100, yearly_cap=4).exists()
    assert InspectionRules.objects.count() == 3
    # inspections on approval (行政检查审批): one past its cap with the head's reason, a joint visit with the province,
    # the complaint-driven emergency approved the next day, a request waiting for the head
    approvals = Approval.objects.all()
    assert approvals.filter(exceeds_cap=True, status__in=("approved", "inspected")).exclude(cap_reason="").exists()
    assert approvals.filter(joint__isnull=False).values("agency").distinct().count() == 2
    assert approvals.filter(source="emergency", status="ratified").exists()
    assert approvals.filter(status="requested", agency__code="230100").exists()
    assert not approvals.filter(inspection__isnull=True, status="inspected").exists()
    # a directory of a few hundred Harbin enterprises in every tier, with areas and permits, to draw from
    directory = Party.objects.filter(agency__code="230100")
    assert directory.count() >= 250 and set(directory.values_list("tier", flat=True)) == {"key", "general", "positive"}
    assert not directory.filter(division="").exists() and directory.exclude(permit_number="").count() >= 30
    call_command("demo", year_scale="none", stdout=StringIO())
    assert counts[:4] == (
        Agency.objects.count(),
        User.objects.count(),
        Certificate.objects.count(),
        Case.objects.count(),
    )
    # 行政执法监督: the province's notices to three city bureaus, one closed, one answered, one overdue
    assert sorted(Notice.objects.values_list("status", flat=True)) == ["acknowledged", "closed", "responded"]
    report = verify_log(verifier=ledger_signer().verifier, origin=settings.LEDGER_ORIGIN)
    assert report.ok, report.problems[:3]
    # the 司法厅's and the high court's witnesses cosigned the latest checkpoint, the demo's TSA stamped it, and the
    # server is told of both (demo.env, read by the shell as `make demo` does)
    sourced = subprocess.run(
        ["sh", "-c", 'set -a && . "$0" && env -0', str(settings.DATA_DIR / "demo.env")],
        capture_output=True,
        check=True,
        env={},
    )
    server = dict(item.split("=", 1) for item in sourced.stdout.decode().split("\0") if "=" in item)
    witnesses = [tuple(item.split()) for item in server["SANXIANG_LEDGER_WITNESSES"].split(",")]
    with override_settings(
        LEDGER_WITNESSES=witnesses,
        LEDGER_WITNESS_QUORUM=2,
        LEDGER_TSA_URL=server["SANXIANG_LEDGER_TSA_URL"],
        LEDGER_TSA_ROOTS=Path(server["SANXIANG_LEDGER_TSA_ROOTS"]),
    ):
        latest = latest_checkpoint()
        assert standing(latest).cosigned == 2
        assert latest_timestamp() == {
            "size": latest.size,
            "time": latest.timestamp.gen_time,
            "authority": "演示时间戳服务 Sanxiang Demo TSA",
            "current": True,
        }
        assert not token_problems([latest])
