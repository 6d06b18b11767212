"""A decision carries what the law requires (《行政处罚法》第五十九条): the routes of reconsideration and suit with their
periods, the procedure the party went through and how it was answered, the evidence by its numbers in the case file,
and how a fine is paid — and is refused, with nothing left behind, when the case or the agency lacks any of it."""

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from docx import Document as WordDocument
from rest_framework.test import APIClient

from sanxiang.agencies.services import agency_set_decision_details
from sanxiang.cases import services
from sanxiang.cases.models import Case, Outcome, Stage
from sanxiang.core.blobs import blob_read
from sanxiang.documents.models import Document
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import DECIDED, NOTIFIED, at, heard, make_party, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.measures import record, seizure
from sanxiang.testing.reviews import pass_review


def text_of(document: Document) -> str:
    return "\n".join(p.text for p in WordDocument(io.BytesIO(blob_read(document.docx_sha256))).paragraphs)


def decision(case: Case) -> str:
    return text_of(Document.objects.get(doc_type="penalty_decision", subject_id=str(case.pk)))


def test_the_penalty_decision_names_the_routes_the_procedure_the_evidence_and_the_payment(world):
    case = walk(world, open_case(world), "decided")
    harbin, text = case.agency, decision(case)
    assert (
        f"如不服本决定，可以自收到本决定书之日起60日内向{harbin.reconsideration_body}申请行政复议，"
        f"也可以自收到本决定书之日起6个月内向{harbin.court}提起行政诉讼。"
    ) in text
    notice = Document.objects.get(doc_type="prior_notice", subject_id=str(case.pk))
    assert f"本机关于2026年9月28日向你（单位）送达《行政处罚事先（听证）告知书》（{notice.number}）" in text
    assert "你（单位）在陈述、申辩期限内（至2026年10月10日（含当日））未提出陈述、申辩。" in text
    assert "经复核，本机关意见：当事人未陈述申辩。" in text
    item = EvidenceItem.objects.get(case=case)
    assert f"证据{item.number}：书证，有资质机构出具的监测报告（监测报告.pdf）" in text
    assert f"罚款自收到本决定书之日起15日内缴纳，缴款途径：{harbin.payment_channel}。" in text
    assert "每日按罚款数额的3%加处罚款，加处罚款的数额不超过罚款的数额" in text


def test_the_procedure_recounts_a_hearing_and_the_statement_and_how_they_were_answered(world):
    case = walk(world, open_case(world), "notified", fine=Decimal("300000"))
    with at(dt.date(2026, 9, 30)):
        services.case_record_statement(
            actor=world.people.officer, case=case, received_on=dt.date(2026, 9, 30), summary="监测数据有误"
        )
    case = heard(world, Case.objects.get(pk=case.pk), presiding=world.people.reviewer)
    with at(dt.date(2026, 10, 22)):
        pass_review(world, case)
        case = services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)
    text = decision(case)
    assert "你（单位）于2026年9月30日提出陈述、申辩：监测数据有误。" in text
    assert "你（单位）于2026年10月9日要求举行听证，本机关于2026年10月20日组织听证。" in text
    assert "经复核，本机关意见：听证意见不成立，维持告知的处罚。" in text


def test_a_waiver_is_recounted_with_its_day(world):
    case = walk(world, open_case(world), "notified")
    with at(NOTIFIED + dt.timedelta(days=1)):
        services.case_record_waiver(actor=world.people.officer, case=case, waived_on=NOTIFIED + dt.timedelta(days=1))
    case = walk(world, Case.objects.get(pk=case.pk), "decided", after="notified")
    assert "你（单位）于2026年9月29日明确放弃陈述、申辩。" in decision(case)


def test_a_decision_whose_agency_has_not_entered_its_routes_and_payment_is_refused_and_leaves_nothing(world):
    case = walk(world, open_case(world), "reconsidered")
    agency_set_decision_details(actor=None, agency=world.harbin, reconsideration_body="", court="")
    entries, documents = Entry.objects.count(), Document.objects.count()
    with at(DECIDED):
        error = refused(
            "document_incomplete",
            lambda: services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY),
        )
    message = error.messages[0]
    assert (
        "行政处罚决定书缺少必备内容：行政复议机关、行政诉讼管辖法院、申请行政复议、提起行政诉讼的途径和期限、缴款途径"
        in message
    )
    assert "在机关页面登记" in message and "《行政处罚法》第五十九条" in message
    stored = Case.objects.get(pk=case.pk)
    assert stored.stage == Stage.DECIDING and not stored.decision_number and stored.decided_on is None
    assert (Entry.objects.count(), Document.objects.count()) == (entries, documents)
    assert not stored.approvals.filter(step="decision").exists()


def test_a_decision_with_no_evidence_in_the_case_file_is_refused_naming_the_evidence_list(world):
    case = walk(world, open_case(world), "reconsidered", evidence=False)
    with at(DECIDED):
        error = refused(
            "document_incomplete",
            lambda: services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY),
        )
    assert "证据目录（案卷中的证据编号）" in error.messages[0]
    assert Case.objects.get(pk=case.pk).stage == Stage.DECIDING


def test_a_warning_orders_no_payment(world):
    case = walk(world, open_case(world), "decided", kinds=("warning",), fine=None)
    text = decision(case)
    assert "缴款途径" not in text and world.harbin.court in text


def test_the_prior_notice_states_the_periods_and_their_last_days_with_the_day_included(world):
    case = walk(world, open_case(world), "notified", fine=Decimal("300000"))
    text = text_of(Document.objects.get(doc_type="prior_notice", subject_id=str(case.pk)))
    assert "陈述申辩期限：2026年10月10日（含当日）" in text
    assert "有权自收到本告知书之日起5个工作日内进行陈述和申辩，期限至2026年10月10日（含当日）。" in text
    assert "请自收到本告知书之日起5个工作日内提出，期限至2026年10月10日（含当日）。" in text


def test_measures_name_the_routes_and_their_periods_with_the_last_day_included(world):
    case = walk(world, open_case(world), "filed")
    record(world, case)
    measure = seizure(world, case)
    text = text_of(Document.objects.get(doc_type="seizure_decision", subject_id=str(measure.pk)))
    assert "期限：2026年9月8日至2026年10月8日（含当日）" in text
    assert f"向{world.harbin.reconsideration_body}申请行政复议" in text and world.harbin.court in text
    with at(dt.date(2026, 9, 10)):
        order = services.correction_order_issue(
            actor=world.people.officer,
            case=case,
            content="停止超标排放",
            served_on=dt.date(2026, 9, 10),
            correct_by=dt.date(2026, 9, 30),
        )
    text = text_of(Document.objects.get(doc_type="correction_order", subject_id=str(order.pk)))
    assert "改正期限：2026年9月30日（含当日）前" in text and world.harbin.court in text


def test_an_on_the_spot_warning_names_the_routes_and_a_fine_its_payment_channel(world):
    noon = dt.datetime(2026, 9, 8, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    common = {
        "agency": world.harbin,
        "party": make_party(world.harbin),
        "officers": [world.people.officer, world.people.partner],
        "decided_at": noon,
        "place": "松北区化工路",
        "facts": "露天焚烧废弃包装物",
        "basis": "《大气污染防治法》第一百一十九条",
    }
    with at(noon.date(), hour=13):
        warning = services.onsite_penalty_decide(actor=world.people.officer, kind="warning", **common)
        fine = services.onsite_penalty_decide(actor=world.people.officer, kind="fine", fine=Decimal("100"), **common)
    warning_text, fine_text = (
        text_of(Document.objects.get(doc_type="onsite_decision", subject_id=str(penalty.pk)))
        for penalty in (warning, fine)
    )
    assert world.harbin.court in warning_text and "缴款途径" not in warning_text
    assert f"缴款途径：{world.harbin.payment_channel}" in fine_text


def test_the_refusal_is_a_structured_error_in_the_api_and_a_chinese_message_on_the_case_page(client, world):
    case = walk(world, open_case(world), "reconsidered")
    agency_set_decision_details(actor=None, agency=world.harbin, reconsideration_body="", court="")
    api = APIClient()
    api.force_authenticate(world.people.head)
    with at(DECIDED):
        response = api.post(f"/api/v1/cases/{case.pk}/decide", {"outcome": "penalty"}, format="json")
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "document_incomplete"
    assert "行政复议机关" in error["message"]
    client.force_login(world.people.head)
    with at(DECIDED):
        page = client.post(reverse("cases:case-action", args=[case.pk, "decide"]), {"outcome": "penalty"})
    assert page.status_code == 400 and "缺少必备内容：行政复议机关" in page.content.decode()
    assert Case.objects.get(pk=case.pk).stage == Stage.DECIDING
