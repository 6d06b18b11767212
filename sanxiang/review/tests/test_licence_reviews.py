"""法制审核 of a major licence decision (黑环发〔2019〕112号 三(三)): who may send an application, when, the rounds and
the coordination — and the gate no grant or refusal passes before the review allows it."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.agencies.models import Role
from sanxiang.core.blobs import blob_read
from sanxiang.core.errors import RuleViolation
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.licensing import hooks
from sanxiang.licensing import services as licensing
from sanxiang.licensing.models import Application, HearingRule, Licence
from sanxiang.powers.models import PowerKind
from sanxiang.review import services
from sanxiang.review.models import Coordination, Review, ReviewRule
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.catalogues import make_power
from sanxiang.testing.checks import refused
from sanxiang.testing.factories import make_certificate, make_staff
from sanxiang.testing.licensing import accepted, make_type, submit
from sanxiang.testing.reviews import (
    agree,
    examine_site,
    find_problems,
    licence_line,
    pass_review,
    submit_application,
)

DAY = DECIDED  # a Monday: the application is accepted, examined and sent the same day


@pytest.fixture
def published(monkeypatch):
    """The decisions publicity was told of (its own handler runs first), each call's arguments."""
    calls = []
    hook = hooks.decision_issued
    monkeypatch.setattr(hook, "_handlers", [*hook.handlers, lambda **kwargs: calls.append(kwargs)])
    return calls


@pytest.fixture
def licence_type(world):
    return make_type(world.harbin)


@pytest.fixture
def application(world, licence_type):
    licence_line(licence_type)
    with at(DAY):
        return examine_site(world, accepted(world.people.officer, licence_type))


def grant(world, application):
    return licensing.application_grant(actor=world.people.head, application=application, content="同意该项目建设。")


def review_entries(review) -> list[dict]:
    return list(
        Entry.objects.filter(subject_type="review.review", subject_id=str(review.pk)).order_by("index").values("action")
    )


def test_an_application_outside_the_catalogue_is_not_sent_and_is_decided_without_review(world, licence_type, published):
    other = make_type(world.harbin, code="HP-BGS", name="建设项目环境影响报告书审批")
    licence_line(other)  # a line on another licensing power does not reach this type
    with at(DAY):
        application = examine_site(world, accepted(world.people.officer, licence_type))
        refused("review_not_required", lambda: submit_application(world, application))
        licence = grant(world, application)
    assert not Review.objects.exists()
    assert licence.status == Licence.Status.VALID and len(published) == 1


def test_an_application_is_sent_only_once_accepted_and_not_while_paused(world, licence_type):
    licence_line(licence_type)
    with at(DAY):
        received = submit(world.people.officer, licence_type)  # no officer examined it yet: a head sends it
        error = refused(
            "invalid_transition",
            lambda: services.review_submit_application(actor=world.people.head, application=received, affirmed=True),
        )
        assert "已接收，待受理" in error.messages[0]
        paused = examine_site(world, accepted(world.people.officer, licence_type))
        licensing.application_pause(
            actor=world.people.officer, application=paused, kind="expert", reason="组织专家评审", expected_days=5
        )
        error = refused("invalid_transition", lambda: submit_application(world, paused))
        assert "恢复计算期限后" in error.messages[0]
    assert not Review.objects.exists()


def test_only_the_officers_of_the_application_and_the_heads_send_it(world, application):
    stranger = make_staff(agency=world.harbin, roles=[Role.OFFICER], username="stranger")
    make_certificate(holder=stranger)
    for person in (stranger, world.people.counsel, world.people.clerk, world.people.outsider):
        with at(DAY), pytest.raises(PermissionDenied) as error:
            services.review_submit_application(actor=person, application=application, affirmed=True)
        assert "审查人员或负责人" in str(error.value)
    assert not Review.objects.exists()
    with at(DAY):
        review = services.review_submit_application(actor=world.people.head, application=application, affirmed=True)
    assert review.application == application and review.case is None


def test_a_submission_needs_the_statement_and_a_record_of_the_examination(world, licence_type):
    licence_line(licence_type)
    with at(DAY):
        unexamined = accepted(world.people.officer, licence_type)
        error = refused(
            "incomplete",
            lambda: services.review_submit_application(actor=world.people.head, application=unexamined, affirmed=True),
        )
        assert "审查记录" in error.messages[0]
        examined = examine_site(world, unexamined)
        with pytest.raises(ValidationError) as unaffirmed:
            services.review_submit_application(actor=world.people.officer, application=examined, affirmed=False)
    assert "affirmed" in unaffirmed.value.error_dict
    assert not Review.objects.exists()


def test_the_grant_waits_for_an_agreeing_opinion_written_as_a_licence_review_opinion(world, application, published):
    with at(DAY):
        error = refused("review_required", lambda: grant(world, application))
        assert "尚未送法制审核" in error.messages[0]
        review = submit_application(world, application)
        error = refused("review_required", lambda: grant(world, application))
        assert "审核尚在进行中" in error.messages[0]
        refused(
            "review_required",
            lambda: licensing.application_refuse(actor=world.people.head, application=application, reason="不符合条件"),
        )
        services.review_take(actor=world.people.counsel, review=review)
        decided = agree(world.people.counsel, review)
        untouched = Application.objects.get(pk=application.pk)
        licence = grant(world, untouched)
    assert untouched.version == application.version  # the review writes nothing on the application
    assert licence.status == Licence.Status.VALID and published[0]["licence"] == licence
    opinion = decided.opinion_document
    assert (opinion.doc_type, opinion.subject_type, opinion.subject_id) == (
        "licence_review_opinion",
        "licensing.application",
        str(application.pk),
    )
    with zipfile.ZipFile(io.BytesIO(blob_read(opinion.docx_sha256))) as docx:
        text = docx.read("word/document.xml").decode()
    assert "哈尔滨松江化工有限公司" in text and application.number in text and "周雅琴（公职律师）" in text
    assert "自由裁量权运用" in text
    assert [row["action"] for row in review_entries(review)] == ["review.submit", "review.take", "review.opinion"]
    facts = entry_json(
        Entry.objects.get(subject_type="review.review", subject_id=str(review.pk), action="review.submit")
    )["data"]
    assert facts["application"] == application.number and "case" not in facts


def test_licence_and_case_opinions_share_the_agencys_one_series_of_numbers(world, application):
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DAY):
        first = pass_review(world, case).rounds.get().opinion_document
        second = agree(world.people.counsel, submit_application(world, application)).opinion_document
    assert (first.doc_type, second.doc_type) == ("legal_review_opinion", "licence_review_opinion")
    assert (first.number, second.number) == ("哈环审〔2026〕1号", "哈环审〔2026〕2号")


def test_problems_then_a_resubmission_then_agreement_allow_the_grant(world, application, published):
    with at(DAY):
        review = submit_application(world, application)
        find_problems(world.people.counsel, review, facts="现场核查未记录周边敏感点")
        error = refused("review_required", lambda: grant(world, application))
        assert "存在问题" in error.messages[0]
        with pytest.raises(PermissionDenied):
            services.review_resubmit(actor=world.people.clerk, review=review, response="已补充", affirmed=True)
        services.review_resubmit(
            actor=world.people.officer, review=review, response="已补充周边敏感点核查情况", affirmed=True
        )
        assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN
        refused("review_required", lambda: grant(world, application))
        agree(world.people.counsel, review)
        licence = grant(world, application)
    assert list(review.rounds.order_by("number").values_list("number", "outcome")) == [(1, "problems"), (2, "agree")]
    assert licence.application == application


def test_a_contested_opinion_overruled_by_the_head_allows_the_grant(world, application, published):
    with at(DAY):
        review = submit_application(world, application)
        find_problems(world.people.counsel, review)
        services.review_contest(actor=world.people.officer, review=review, reason="该事项不涉及自由裁量")
        error = refused("review_required", lambda: grant(world, application))
        assert "正在协调" in error.messages[0]
        coordination = services.review_coordinate(
            actor=world.people.head,
            review=review,
            decision=Coordination.Decision.OVERRULE,
            note="经协调，不采纳该项审核意见",
        )
        licence = grant(world, application)
    assert Review.objects.get(pk=review.pk).status == Review.Status.OVERRULED
    assert coordination.decided_by == world.people.head and licence.status == Licence.Status.VALID


def test_an_upheld_opinion_keeps_the_decision_waiting(world, application):
    with at(DAY):
        review = submit_application(world, application)
        find_problems(world.people.counsel, review)
        services.review_contest(actor=world.people.officer, review=review, reason="不同意")
        services.review_coordinate(
            actor=world.people.head, review=review, decision=Coordination.Decision.UPHOLD, note="维持审核意见"
        )
        error = refused("review_required", lambda: grant(world, application))
    assert "存在问题" in error.messages[0]


def test_a_reviewer_who_examined_the_application_may_not_review_it(world, licence_type):
    licence_line(licence_type)
    examiner = make_staff(
        agency=world.harbin, roles=[Role.OFFICER, Role.REVIEWER], username="examiner", has_legal_qualification=True
    )
    make_certificate(holder=examiner)
    with at(DAY):
        application = accepted(world.people.officer, licence_type)
        licensing.application_examine(
            actor=world.people.officer,
            application=application,
            kind="site",
            findings="现场核查",
            officers=[world.people.officer, examiner],
        )
        review = submit_application(world, application)
        for attempt in (
            lambda: services.review_take(actor=examiner, review=review),
            lambda: services.review_take(actor=world.people.head, review=review, reviewer=examiner),
            lambda: agree(examiner, review),
        ):
            with pytest.raises(RuleViolation) as error:
                attempt()
            assert error.value.code == "reviewer_conflict" and "审查人员" in error.value.messages[0]
        with pytest.raises(PermissionDenied):
            services.review_take(actor=world.people.officer, review=review)
    current = review.rounds.get()
    assert current.reviewer is None and current.outcome == ""


def test_the_penalty_laws_qualification_is_not_asked_of_a_licence_reviewer(world, application):
    unqualified = make_staff(agency=world.harbin, roles=[Role.REVIEWER], username="newcomer")
    with at(DAY):
        review = submit_application(world, application)
        services.review_take(actor=unqualified, review=review)
    assert review.rounds.get().reviewer == unqualified


def test_a_second_open_review_is_refused_by_the_service_and_the_database(world, application):
    with at(DAY):
        review = submit_application(world, application)
        error = refused("review_open", lambda: submit_application(world, application))
    assert "本许可申请已有未办结的法制审核" in error.messages[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(application=application, agency=application.agency, opened_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(agency=application.agency, opened_at=timezone.now())  # a review of nothing
    assert Review.objects.get() == review


def test_the_prechecks_read_the_rules_the_licence_decision_must_meet(world):
    kind = make_type(world.harbin, site_check=True, hearing=HearingRule.INTERESTS, conditions="符合环境功能区划")
    licence_line(kind)
    with at(DAY):
        application = accepted(world.people.officer, kind)
        licensing.application_examine(
            actor=world.people.officer, application=application, kind="materials", findings="材料齐全"
        )
        checks = submit_application(world, application).rounds.get().prechecks
    results = {point: check["result"] for point, check in checks.items()}
    assert results == {
        "subject": "pass",
        "officers": "pass",
        "jurisdiction": "pass",
        "procedure": "problem",
        "facts": "problem",
        "law": "pass",
        "evidence": "pass",
        "documents": "pass",
        "discretion": "pass",
    }
    assert "听证权利" in checks["procedure"]["notes"][0] and "第四十七条" in checks["procedure"]["notes"][0]
    assert "需要现场核查" in checks["facts"]["notes"][0]


def test_the_materials_name_what_was_handed_in_examined_and_issued(world, application):
    with at(DAY):
        materials = submit_application(world, application).rounds.get().materials
    assert [item["name"] for item in materials["materials"]] == [
        "建设项目环境影响报告表审批申请书",
        "建设项目环境影响报告表（全本）",
    ]
    assert materials["examinations"][0]["kind"] == "现场核查" and len(materials["examinations"][0]["officers"]) == 2
    assert [doc["type"] for doc in materials["documents"]] == ["licence_acceptance"]
    assert materials["licence_type"]["power"]["code"] == "XK-HP-BGB" and materials["review_reasons"]


@pytest.mark.parametrize(
    ("kind", "power", "message"),
    [
        ("licence", None, "须选择本机关现行的行政许可事项"),
        ("licence", PowerKind.PENALTY, "须选择本机关现行的行政许可事项"),
        ("fine_organisation", PowerKind.LICENSING, "行政处罚或行政强制事项"),
    ],
)
def test_a_line_hangs_only_on_a_power_of_its_kind(world, kind, power, message):
    with pytest.raises(ValidationError) as error:
        services.review_rule_add(
            actor=None,
            agency=world.harbin,
            kind=kind,
            value="" if kind == "licence" else "100000",
            description="目录事项",
            citation="哈环规〔2026〕5号",
            power=make_power(world.harbin, power) if power else None,
        )
    assert message in str(error.value.error_dict["power"])
    assert not ReviewRule.objects.filter(agency_code="230100").exists()
