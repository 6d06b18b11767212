"""Each automatic pre-check on a case built to pass it and on one built to fail it."""

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.agencies import services as agencies
from sanxiang.cases import services as cases
from sanxiang.cases.discretion import calculate
from sanxiang.cases.models import Case, Violation
from sanxiang.demo.codes import demo_uscc
from sanxiang.documents.models import Document
from sanxiang.review import prechecks
from sanxiang.testing.blobs import damage
from sanxiang.testing.cases import DECIDED, at, make_party, open_case, walk
from sanxiang.testing.reviews import add_evidence

FINE = Decimal("200000")


@pytest.fixture
def case(world):
    """A case in which every step was taken in order: the base every failing case departs from."""
    case = walk(world, open_case(world), "reconsidered", fine=FINE, evidence=False)
    add_evidence(world, case)
    return case


def check(name, case, today=DECIDED):
    case = Case.objects.select_related("agency", "party", "violation").get(pk=case.pk)
    function = getattr(prechecks, name)
    return function(case, today) if name in ("officers", "procedure") else function(case)


def corrupt(digest: str) -> None:
    damage(digest, b"tampered")


def correct(world, case, **changes):
    values = {
        "facts": case.facts,
        "evidence": case.evidence,
        "basis": case.basis,
        "kinds": case.decided_kinds,
        "fine": case.decided_fine,
        "confiscation": None,
        "departure_reason": "",
        "note": "补正",
    } | changes
    with at(DECIDED):
        return cases.case_correct(actor=world.people.officer, case=case, **values)


def test_subject_passes_for_an_active_agency_and_fails_once_it_is_disabled(world, case):
    assert check("subject", case)["result"] == "pass"
    agencies.agency_update(actor=None, agency=world.harbin, is_active=False)
    assert check("subject", case) == {"result": "problem", "notes": ["作出决定的机关已停用"], "links": []}


def test_subject_cannot_tell_when_the_decision_needs_the_governments_approval(world):
    with at(dt.date(2026, 10, 22)):
        case = cases.closure_propose(
            actor=world.people.head,
            case=walk(world, open_case(world), "filed"),
            kind="close",
            ground="defied",
            reason="被责令停产整治后擅自恢复生产",
            investigators=[world.people.officer, world.people.partner],
        )
    result = check("subject", case)
    assert result["result"] == "unknown" and "人民政府批准" in result["notes"][0]


def test_officers_pass_when_certified_and_fail_when_a_certificate_was_revoked_since(world, case):
    assert check("officers", case)["result"] == "pass"
    agencies.certificate_revoke(actor=None, certificate=world.certificates.partner, reason="违法办案")
    result = check("officers", case)
    assert result["result"] == "problem" and "张丽华 的执法证现已失效" in result["notes"][0]


def test_jurisdiction_follows_the_place_of_the_act_not_the_partys_registration(world, case):
    assert check("jurisdiction", case)["result"] == "pass"
    elsewhere = make_party(world.harbin, uscc=demo_uscc("91", world.qiqihar.code, 4711), name="齐齐哈尔某化工厂")
    here = walk(world, open_case(world, party=elsewhere), "reconsidered", fine=FINE)
    assert check("jurisdiction", here)["result"] == "pass"  # registered in Qiqihar, the act happened in Harbin
    Case.objects.filter(pk=here.pk).update(act_division=world.qiqihar.code)
    assert check("jurisdiction", Case.objects.get(pk=here.pk))["result"] == "problem"


def test_jurisdiction_cannot_tell_without_the_place_of_the_act(world, case):
    Case.objects.filter(pk=case.pk).update(act_division="")
    assert check("jurisdiction", Case.objects.get(pk=case.pk))["result"] == "unknown"


def test_procedure_passes_on_time_and_fails_once_the_decision_period_has_run_out(world, case):
    assert check("procedure", case)["result"] == "pass"
    late = check("procedure", case, today=dt.date(2027, 1, 15))
    assert late["result"] == "problem" and "已超过办案期限" in late["notes"][0]


def test_facts_pass_with_evidence_on_file_and_fail_without_a_statement_of_facts(world, case):
    assert check("facts", case)["result"] == "pass"
    assert (
        check("facts", walk(world, open_case(world), "reconsidered", fine=FINE, evidence=False))["result"] == "unknown"
    )
    Case.objects.filter(pk=case.pk).update(facts="")  # a record carried over from an older system
    assert check("facts", case)["notes"] == ["未写明违法事实"]


def test_law_passes_when_the_basis_cites_the_catalogue_and_fails_when_it_cites_another_law(world, case):
    case = correct(world, case, basis="《大气污染防治法》第十八条、第九十九条第二项；《排污许可管理条例》第三十三条")
    assert check("law", case)["result"] == "pass"
    case = correct(world, case, basis="《水污染防治法》第八十三条")
    result = check("law", case)
    assert result["result"] == "problem" and "《大气污染防治法》第九十九条" in result["notes"][0]


def test_law_asks_for_the_higher_fine_norm_when_two_norms_cover_the_act(world, case):
    result = check("law", case)
    assert result["result"] == "unknown" and "《排污许可管理条例》第三十三条" in result["notes"][0]
    assert "第二十九条" in result["notes"][0]


def test_law_asks_which_version_applies_when_the_basis_cites_one_not_in_force_on_the_day_of_the_act(world, case):
    case = correct(
        world, case, basis="《大气污染防治法》第十八条、第九十九条第二项；《环境行政处罚办法》（2010）第六条"
    )
    result = check("law", case)
    assert result["result"] == "unknown"
    assert "处罚依据所引《环境行政处罚办法》（2010年）在违法行为发生之日（2026-08-28）已失效" in result["notes"][-1]
    assert "《行政处罚法》第三十七条" in result["notes"][-1]


def test_cites_reads_articles_after_the_law_they_belong_to():
    assert prechecks.cites("依据《大气污染防治法》第十八条、第九十九条第二项", "《大气污染防治法》第九十九条")
    assert prechecks.cites("《中华人民共和国大气污染防治法》第九十九条", "《大气污染防治法》第九十九条")
    assert not prechecks.cites("《水污染防治法》第九十九条", "《大气污染防治法》第九十九条")
    assert not prechecks.cites("《大气污染防治法》第九十八条", "《大气污染防治法》第九十九条")


def test_evidence_passes_when_files_are_intact_and_fails_when_one_was_altered(world, case):
    assert check("evidence", case)["result"] == "pass"
    corrupt(case.evidence_items.get().sha256)
    result = check("evidence", case)
    assert result["result"] == "problem" and "已被改动" in result["notes"][0]
    assert result["links"][0]["url"] == f"/workbench/evidence/{case.evidence_items.get().pk}/"


def test_documents_pass_when_made_numbered_and_intact_and_fail_when_a_file_was_altered(world, case):
    assert check("documents", case)["result"] == "pass"
    notice = Document.objects.get(subject_type="cases.case", subject_id=str(case.pk), doc_type="prior_notice")
    corrupt(notice.docx_sha256)
    result = check("documents", case)
    assert result["result"] == "problem" and notice.number in result["notes"][0]


def test_discretion_passes_when_the_fine_follows_the_calculation_and_fails_without_one(world):
    suggested = Decimal(calculate(Violation.objects.get(code="DQ-99"), world.harbin, {})["fine"])
    case = walk(world, open_case(world), "reconsidered", fine=suggested)
    assert check("discretion", case) == {"result": "problem", "notes": ["罚款未做自由裁量计算"], "links": []}
    with at(DECIDED):
        cases.case_calculate_discretion(actor=world.people.officer, case=case, violation=case.violation, choices={})
    assert check("discretion", case)["result"] == "pass"


def test_discretion_shows_a_reasoned_departure_for_the_reviewer_to_weigh(world):
    suggested = Decimal(calculate(Violation.objects.get(code="DQ-99"), world.harbin, {})["fine"])
    case = walk(world, open_case(world), "reconsidered", fine=suggested + 50000)
    with at(DECIDED):
        cases.case_calculate_discretion(actor=world.people.officer, case=case, violation=case.violation, choices={})
    case = correct(world, Case.objects.get(pk=case.pk), departure_reason="多次违法，从重处罚")
    result = check("discretion", case)
    assert result["result"] == "unknown" and "多次违法，从重处罚" in result["notes"][0]


def test_discretion_fails_when_the_fine_leaves_the_statutory_range(world, case):
    Case.objects.filter(pk=case.pk).update(decided_fine=Decimal("2000000"))  # a record carried over
    result = check("discretion", case)
    assert result["result"] == "problem" and "法定" in result["notes"][0]
