"""监督意见书 / 整改通知书: issued by a supervisor above, signed for and answered by the agency's head, accepted or
returned by the supervisor, closed — each move ledgered, each refusal with its code or 403, overdue by the date."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sanxiang.agencies.models import Role
from sanxiang.core.calendar import add_working_days
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.supervision import selectors, services
from sanxiang.supervision.models import Notice
from sanxiang.testing.cases import at
from sanxiang.testing.checks import refused
from sanxiang.testing.factories import make_staff
from sanxiang.testing.supervision import issue_notice, supervision_people

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def sup(world):
    return supervision_people(world)


def entries(notice) -> list[tuple[str, str, str]]:
    return list(
        Entry.objects.filter(subject_type="supervision.notice", subject_id=str(notice.pk))
        .order_by("index")
        .values_list("action", "actor", "agency_code")
    )


def refused_field(field, code, call):
    """Run `call`, expect a refusal of `field` with `code`, and return the message."""
    with pytest.raises(ValidationError) as error:
        call()
    (refusal,) = error.value.error_dict[field]
    assert refusal.code == code, refusal
    return refusal.messages[0]


def moves(notice) -> list[str]:
    return [action for action, _actor, _agency in entries(notice)]


def test_a_notice_runs_issue_acknowledge_respond_accept_close_each_move_ledgered(world, sup):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor, records=[("publication_late", 7, "哈环罚〔2026〕12号")])
        assert notice.status == Notice.Status.ISSUED and notice.issuing_agency == world.province
        assert notice.due_on == add_working_days(DAY, 20).date  # the rule's default 整改期限
        assert list(notice.records.values_list("kind", "record_id")) == [("publication_late", 7)]
        services.notice_acknowledge(actor=world.people.head, notice=notice, version=notice.version)
        services.notice_respond(
            actor=world.people.head, notice=notice, response="已完成公示，建立提醒。", evidence_note="公示截图 3 张"
        )
        services.notice_accept(actor=sup.supervisor, notice=notice)
        services.notice_close(actor=sup.supervisor, notice=notice, note="整改到位")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.CLOSED and notice.first_responded_on == DAY
    assert notice.responded_in_time is True and notice.evidence_note == "公示截图 3 张"
    assert moves(notice) == [
        "supervision_notice.issue",
        "supervision_notice.acknowledge",
        "supervision_notice.respond",
        "supervision_notice.accept",
        "supervision_notice.close",
    ]
    assert {agency for _a, _b, agency in entries(notice)} == {"230100"}  # filed under the addressed agency
    first = Entry.objects.filter(subject_type="supervision.notice").order_by("index").first()
    assert not first.public


def test_a_returned_response_goes_back_to_the_head_with_the_reason(world, sup):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor, due_on=DAY + dt.timedelta(days=10))
        services.notice_acknowledge(actor=world.people.head, notice=notice)
        services.notice_respond(actor=world.people.head, notice=notice, response="已整改。")
        services.notice_return(actor=sup.supervisor, notice=notice, reason="未附公示记录，无法核实。")
    notice.refresh_from_db()
    assert (notice.status, notice.returns, notice.return_reason) == ("returned", 1, "未附公示记录，无法核实。")
    with at(DAY + dt.timedelta(days=3)):
        services.notice_respond(actor=world.people.head, notice=notice, response="补充公示记录。")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RESPONDED and notice.response == "补充公示记录。"
    assert notice.first_responded_on == DAY  # the first report counts for timeliness
    assert moves(notice)[-2:] == ["supervision_notice.return", "supervision_notice.respond"]


def test_a_notice_past_its_due_date_without_a_response_is_overdue(world, sup):
    due = DAY + dt.timedelta(days=7)
    with at(DAY):
        notice = issue_notice(world, sup.supervisor, due_on=due)
    assert not notice.is_overdue(due)
    assert notice.is_overdue(due + dt.timedelta(days=1))
    assert list(Notice.objects.overdue(due + dt.timedelta(days=1))) == [notice]
    with at(due + dt.timedelta(days=2)):
        services.notice_acknowledge(actor=world.people.head, notice=notice)
        assert selectors.notices_for_user(sup.supervisor, today=due + dt.timedelta(days=2), overdue=True).count() == 1
        services.notice_respond(actor=world.people.head, notice=notice, response="已整改。")
    notice.refresh_from_db()
    assert notice.responded_in_time is False and not notice.is_overdue(due + dt.timedelta(days=2))
    assert entry_json(Entry.objects.get(action="supervision_notice.respond"))["data"]["late"] is True


def test_only_a_supervisor_above_the_agency_issues_a_notice(world, sup):
    with at(DAY):
        for actor in (world.people.head, world.people.officer, world.people.outsider):
            with pytest.raises(PermissionDenied):
                issue_notice(world, actor)
        with pytest.raises(PermissionDenied):  # a supervisor of another branch
            issue_notice(world, sup.qiqihar_supervisor)
        with pytest.raises(PermissionDenied):  # a supervisor below does not supervise the agency above
            issue_notice(world, sup.daoli_supervisor)
        own = make_staff(agency=world.harbin, roles=[Role.SUPERVISOR])
        with pytest.raises(PermissionDenied):  # nor an agency its own
            issue_notice(world, own)
        assert issue_notice(world, own, agency=world.daoli).agency == world.daoli  # the branch below: yes
    assert Notice.objects.count() == 1


def test_an_issue_is_refused_without_its_texts_or_with_a_past_due_date(world, sup):
    with at(DAY):
        message = refused_field("due_on", "due_in_past", lambda: issue_notice(world, sup.supervisor, due_on=DAY))
        assert message == "整改期限应当晚于下达之日。"
        refused_field("findings", "required", lambda: issue_notice(world, sup.supervisor, findings="  "))
        refused_field("kind", "kind", lambda: issue_notice(world, sup.supervisor, kind="memo"))
    assert not Notice.objects.exists() and not Entry.objects.filter(subject_type="supervision.notice").exists()


def test_only_a_head_of_the_addressed_agency_signs_and_answers(world, sup):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
        province_head = make_staff(agency=world.province, roles=[Role.HEAD])
        for actor in (world.people.officer, world.people.outsider, sup.supervisor, province_head):
            with pytest.raises(PermissionDenied):
                services.notice_acknowledge(actor=actor, notice=notice)
        services.notice_acknowledge(actor=world.people.head, notice=notice)
        with pytest.raises(PermissionDenied):
            services.notice_respond(actor=world.people.officer, notice=notice, response="x")
    assert moves(notice) == ["supervision_notice.issue", "supervision_notice.acknowledge"]


def test_moves_out_of_order_are_refused_with_invalid_transition(world, sup):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
        refused(
            "invalid_transition", lambda: services.notice_respond(actor=world.people.head, notice=notice, response="x")
        )
        refused("invalid_transition", lambda: services.notice_accept(actor=sup.supervisor, notice=notice))
        refused("invalid_transition", lambda: services.notice_close(actor=sup.supervisor, notice=notice))
        services.notice_acknowledge(actor=world.people.head, notice=notice)
        refused("invalid_transition", lambda: services.notice_acknowledge(actor=world.people.head, notice=notice))
        refused_field(
            "response",
            "required",
            lambda: services.notice_respond(actor=world.people.head, notice=notice, response=" "),
        )
        services.notice_respond(actor=world.people.head, notice=notice, response="已整改。")
        with pytest.raises(ValidationError) as error:
            services.notice_return(actor=sup.supervisor, notice=notice, reason="")
        assert "退回理由" in error.value.message_dict["reason"][0]
        refused("conflict", lambda: services.notice_accept(actor=sup.supervisor, notice=notice, version=1))


def test_only_a_supervisor_above_accepts_returns_and_closes(world, sup):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
        services.notice_acknowledge(actor=world.people.head, notice=notice)
        services.notice_respond(actor=world.people.head, notice=notice, response="已整改。")
        for actor in (world.people.head, world.people.officer, sup.qiqihar_supervisor, sup.daoli_supervisor):
            with pytest.raises(PermissionDenied):
                services.notice_accept(actor=actor, notice=notice)
            with pytest.raises(PermissionDenied):
                services.notice_return(actor=actor, notice=notice, reason="不够")
        services.notice_accept(actor=sup.supervisor, notice=notice)
        with pytest.raises(PermissionDenied):
            services.notice_close(actor=world.people.head, notice=notice)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ACCEPTED


def test_a_notice_is_read_by_the_supervisors_above_and_the_agencys_heads_only(world, sup):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
    for user in (sup.supervisor, world.people.head):
        assert selectors.notice_get_for_user(user=user, notice_id=notice.pk) == notice
    for user in (world.people.officer, world.people.outsider, sup.qiqihar_supervisor, sup.daoli_supervisor):
        with pytest.raises(Http404):
            selectors.notice_get_for_user(user=user, notice_id=notice.pk)
    assert list(selectors.notices_to_answer(world.people.head)) == [notice]
    assert not selectors.notices_to_answer(world.people.officer).exists()


def test_statistics_count_notices_by_kind_agency_and_timeliness(world, sup):
    with at(DAY):
        on_time = issue_notice(world, sup.supervisor, due_on=DAY + dt.timedelta(days=5))
        issue_notice(world, sup.supervisor, kind="opinion", agency=world.qiqihar, due_on=DAY + dt.timedelta(days=2))
        late = issue_notice(world, sup.supervisor, due_on=DAY + dt.timedelta(days=1))
    with at(DAY + dt.timedelta(days=3)):
        for notice in (on_time, late):
            services.notice_acknowledge(actor=world.people.head, notice=notice)
            services.notice_respond(actor=world.people.head, notice=notice, response="已整改。")
    figures = selectors.statistics_for(sup.supervisor, year=2026, today=DAY + dt.timedelta(days=4))
    total = figures["total"]
    assert (total["issued"], total["on_time"], total["late"], total["overdue"], total["median_days"]) == (3, 1, 1, 1, 3)
    assert [(row["kind"], row["issued"]) for row in figures["kinds"]] == [("opinion", 1), ("rectification", 2)]
    assert [(row["agency"].code, row["issued"]) for row in figures["agencies"]] == [("230100", 2), ("230200", 1)]
    assert selectors.statistics_for(sup.qiqihar_supervisor, year=2026, today=DAY)["total"]["issued"] == 0


def test_a_notice_with_a_control_character_is_refused(world, sup):
    with at(DAY), pytest.raises(ValidationError):
        issue_notice(world, sup.supervisor, subject="公示\x07迟延")
