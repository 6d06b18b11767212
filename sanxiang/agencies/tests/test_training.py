"""Officers' training (培训记录): recorded by heads and system administrators through a ledgered service, never
edited in place; counted against the yearly requirement (rule agencies.training_hours_per_year); checked when a
certificate is renewed. Every interface is tried by each persona."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency, Certificate, ExamResult, Role, TrainingRecord
from sanxiang.agencies.training_selectors import (
    officers_below_requirement,
    training_hours,
    training_of_officers,
    training_requirement,
    training_summary,
)
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import at
from sanxiang.testing.factories import make_certificate, make_staff, make_training

DAY = dt.date(2026, 11, 20)
YEAR = DAY.year
COURSE = {
    "course": "2026年全省生态环境执法骨干培训班",
    "organiser": "黑龙江省生态环境厅",
    "kind": "professional",
    "started_on": dt.date(2026, 5, 11),
    "ended_on": dt.date(2026, 5, 15),
    "hours": Decimal("32"),
}


def data(entry) -> dict:
    return json.loads(bytes(entry.body))["data"]


def entries(action, record):
    return Entry.objects.filter(action=action, subject_type="agencies.trainingrecord", subject_id=str(record.pk))


@pytest.fixture
def supervisor(world):
    return make_staff(agency=world.province, roles=[Role.SUPERVISOR], username="supervisor")


# The rule


def test_the_yearly_requirement_is_a_rule_with_its_citation_and_an_agency_may_set_its_own(world):
    national = training_requirement(world.harbin)
    assert national.value == 60 and national.unit == "hours" and "国办发〔2023〕27号" in national.citation
    services.rule_set(
        actor=None,
        key="agencies.training_hours_per_year",
        agency=world.harbin,
        value=80,
        citation="哈尔滨市行政执法人员培训办法（示例）",
    )
    assert training_requirement(world.daoli).value == 80  # inherited below
    assert training_requirement(world.qiqihar).value == 60


# Recording


def test_a_head_records_training_and_the_ledger_keeps_its_facts(world):
    with at(DAY):
        record = services.training_record_create(actor=world.people.head, officer=world.people.officer, **COURSE)
    stored = TrainingRecord.objects.get(pk=record.pk)
    assert stored.agency == world.harbin and stored.hours == Decimal("32") and stored.exam_result == ExamResult.NONE
    entry = entries("training.create", record).get()
    assert entry.actor == f"staff:{world.people.head.pk}" and entry.agency_code == "230100"
    assert data(entry)["hours"] == "32" and data(entry)["officer"] == f"staff:{world.people.officer.pk}"
    assert not entry.public


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("head", True),
        ("admin", True),
        ("province_admin", True),
        ("officer", False),
        ("partner", False),
        ("reviewer", False),
        ("security", False),
        ("outsider", False),
    ],
)
def test_only_heads_and_system_administrators_of_the_agency_or_above_record_training(world, persona, allowed):
    actor = getattr(world.people, persona)
    with at(DAY):
        if allowed:
            services.training_record_create(actor=actor, officer=world.people.officer, **COURSE)
        else:
            with pytest.raises(PermissionDenied):
                services.training_record_create(actor=actor, officer=world.people.officer, **COURSE)
    assert TrainingRecord.objects.filter(officer=world.people.officer).exists() is allowed
    assert Entry.objects.filter(action="training.create").exists() is allowed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ended_on": dt.date(2026, 5, 10)}, "ended_on"),
        ({"ended_on": dt.date(2026, 12, 1)}, "ended_on"),
        ({"hours": Decimal("0")}, "hours"),
        ({"hours": Decimal("200")}, "hours"),
        ({"exam_score": Decimal("90")}, "exam_score"),
        ({"kind": "gossip"}, "kind"),
        ({"course": "培训\u202e班"}, "course"),
    ],
)
def test_a_record_that_cannot_be_true_is_refused(world, changes, field):
    with at(DAY), pytest.raises(ValidationError) as error:
        services.training_record_create(actor=world.people.admin, officer=world.people.officer, **COURSE | changes)
    assert field in error.value.message_dict
    assert not TrainingRecord.objects.exists() and not Entry.objects.filter(action="training.create").exists()


def test_training_is_recorded_only_for_officers(world):
    with at(DAY), pytest.raises(ValidationError) as error:
        services.training_record_create(actor=world.people.admin, officer=world.people.reviewer, **COURSE)
    assert "officer" in error.value.message_dict


def test_an_exam_result_may_carry_a_score_but_the_database_refuses_a_score_without_an_exam(world):
    with at(DAY):
        record = services.training_record_create(
            actor=world.people.admin,
            officer=world.people.officer,
            **COURSE | {"exam_result": ExamResult.PASSED, "exam_score": Decimal("88.5")},
        )
    assert TrainingRecord.objects.get(pk=record.pk).exam_score == Decimal("88.5")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRecord.objects.filter(pk=record.pk).update(exam_result=ExamResult.NONE)


# Withdrawing and correcting


def test_a_withdrawn_record_stays_on_file_and_stops_counting(world):
    with at(DAY):
        record = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="16")
        assert training_hours(world.people.officer, YEAR) == 16
        services.training_record_withdraw(actor=world.people.head, record=record, reason="重复登记")
        assert training_hours(world.people.officer, YEAR) == 0
        with pytest.raises(ValidationError) as error:
            services.training_record_withdraw(actor=world.people.head, record=record, reason="再撤一次")
    assert error.value.code == "invalid_transition"
    stored = TrainingRecord.objects.get(pk=record.pk)
    assert stored.is_withdrawn and stored.withdrawal_reason == "重复登记"
    assert data(entries("training.withdraw", record).get())["reason"] == "重复登记"


def test_a_withdrawal_needs_a_reason_and_a_recorder(world):
    with at(DAY):
        record = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1))
        with pytest.raises(ValidationError):
            services.training_record_withdraw(actor=world.people.head, record=record, reason="  ")
        with pytest.raises(PermissionDenied):
            services.training_record_withdraw(actor=world.people.officer, record=record, reason="我没去")
    assert not TrainingRecord.objects.get(pk=record.pk).is_withdrawn


def test_a_correction_withdraws_the_old_record_and_ledgers_both(world):
    with at(DAY):
        record = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="16")
        corrected = services.training_record_correct(
            actor=world.people.admin, record=record, reason="学时按结业证书更正", hours=Decimal("24")
        )
        assert training_hours(world.people.officer, YEAR) == 24
        with pytest.raises(ValidationError):
            services.training_record_correct(actor=world.people.admin, record=corrected, reason="无变化")
    assert corrected.replaces_id == record.pk and TrainingRecord.objects.get(pk=record.pk).is_withdrawn
    entry = entries("training.correct", corrected).get()
    assert data(entry)["before"] == {"hours": "16"} and data(entry)["after"] == {"hours": "24"}
    assert entries("training.withdraw", record).exists()


# Selectors


def test_hours_count_in_the_year_a_course_ends_and_officers_below_the_requirement_are_found(world):
    officer, partner, county = world.people.officer, world.people.partner, world.people.county_officer
    with at(DAY):
        make_training(officer=officer, ended_on=dt.date(2026, 1, 3), started_on=dt.date(2025, 12, 29), hours="40")
        make_training(officer=officer, ended_on=dt.date(2026, 9, 1), hours="24", exam_result=ExamResult.PASSED)
        make_training(officer=partner, ended_on=dt.date(2025, 12, 20), hours="60")  # last year's
        make_training(officer=county, ended_on=dt.date(2026, 6, 1), hours="8", exam_result=ExamResult.FAILED)
    assert training_hours(officer, YEAR) == 64 and training_hours(partner, YEAR) == 0
    assert training_hours(partner, YEAR - 1) == 60
    below = officers_below_requirement(agencies=[world.harbin, world.daoli], year=YEAR)
    assert {row.officer for row in below} == {partner, county}
    summary = training_summary(agencies=[world.harbin, world.daoli], year=YEAR)
    assert (summary["officers"], summary["trained"], summary["below_requirement"], summary["exams_passed"]) == (
        3,
        2,
        2,
        1,
    )
    assert summary["total_hours"] == 72
    by_code = {row["agency"]: row for row in summary["agencies"]}
    assert by_code["230102"]["below_requirement"] == 1 and by_code["230100"]["total_hours"] == 64


def test_the_figures_of_many_agencies_read_the_yearly_rule_in_one_query(world):
    services.rule_set(
        actor=None, key="agencies.training_hours_per_year", agency=world.harbin, value=40, citation="本市规定（示例）"
    )
    make_staff(agency=world.qiqihar, roles=[Role.OFFICER], username="qq.officer")
    every = list(Agency.objects.all())
    with CaptureQueriesContext(connection) as one:
        training_summary(agencies=[world.harbin], year=YEAR)
        training_of_officers(agencies=[world.harbin], year=YEAR)
    with CaptureQueriesContext(connection) as many:
        summary = training_summary(agencies=every, year=YEAR)
        rows = training_of_officers(agencies=every, year=YEAR)
    assert len(many) == len(one) and len(every) > 3
    required = {figures["agency"]: figures["required_hours"] for figures in summary["agencies"]}
    assert required[world.harbin.code] == 40 and required[world.qiqihar.code] == 60
    assert {row.officer.agency.code: row.required for row in rows}[world.qiqihar.code] == 60


def test_an_inactive_officer_is_not_counted(world):
    services.staff_set_active(actor=None, staff=world.people.partner, active=False)
    below = officers_below_requirement(agencies=[world.harbin], year=YEAR)
    assert world.people.partner not in {row.officer for row in below}


# The renewal gate


@pytest.fixture
def veteran(world):
    officer = make_staff(agency=world.harbin, roles=[Role.OFFICER], username="veteran", full_name="老执法")
    certificate = make_certificate(holder=officer, issued_on=dt.date(2020, 3, 1), expires_on=dt.date(2026, 3, 31))
    return certificate


def test_renewal_is_refused_while_last_years_training_falls_short(world, veteran):
    with at(dt.date(2026, 3, 2)):
        make_training(officer=veteran.holder, ended_on=dt.date(2025, 6, 30), hours="30")
        # a course of this year does not make up for last year, nor does a withdrawn one
        make_training(officer=veteran.holder, ended_on=dt.date(2026, 2, 27), hours="40")
        withdrawn = make_training(officer=veteran.holder, ended_on=dt.date(2025, 9, 30), hours="30")
        services.training_record_withdraw(actor=world.people.head, record=withdrawn, reason="未实际参加")
        with pytest.raises(ValidationError) as error:
            services.certificate_renew(actor=world.people.admin, certificate=veteran, expires_on=dt.date(2031, 3, 31))
    assert error.value.code == "training_short"
    assert "2025 年度参加培训 30 学时" in error.value.messages[0] and "国办发〔2023〕27号" in error.value.messages[0]
    assert Certificate.objects.get(pk=veteran.pk).expires_on == dt.date(2026, 3, 31)
    assert not Entry.objects.filter(action="certificate.renew").exists()
    with at(dt.date(2026, 3, 3)):
        make_training(officer=veteran.holder, ended_on=dt.date(2025, 11, 20), hours="30")
        services.certificate_renew(actor=world.people.admin, certificate=veteran, expires_on=dt.date(2031, 3, 31))
    assert Certificate.objects.get(pk=veteran.pk).expires_on == dt.date(2031, 3, 31)


def test_a_local_requirement_applies_to_the_renewal(world, veteran):
    services.rule_set(
        actor=None, key="agencies.training_hours_per_year", agency=world.harbin, value=40, citation="本地规定（示例）"
    )
    with at(dt.date(2026, 3, 2)):
        make_training(officer=veteran.holder, ended_on=dt.date(2025, 6, 30), hours="40")
        services.certificate_renew(actor=world.people.admin, certificate=veteran, expires_on=dt.date(2031, 3, 31))
    assert Certificate.objects.get(pk=veteran.pk).expires_on == dt.date(2031, 3, 31)


def test_a_certificate_issued_during_last_year_is_not_judged_on_it(world):
    holder = make_staff(agency=world.harbin, roles=[Role.OFFICER], username="newcomer")
    certificate = make_certificate(holder=holder, issued_on=dt.date(2025, 7, 1), expires_on=dt.date(2026, 6, 30))
    with at(dt.date(2026, 3, 2)):
        services.certificate_renew(actor=None, certificate=certificate, expires_on=dt.date(2031, 6, 30))
    assert Certificate.objects.get(pk=certificate.pk).expires_on == dt.date(2031, 6, 30)


def test_the_api_and_the_page_refuse_the_renewal_with_the_rule(world, veteran, client):
    api = APIClient()
    api.force_authenticate(user=world.people.admin)
    with at(dt.date(2026, 3, 2)):
        response = api.post(f"/api/v1/certificates/{veteran.pk}/renew", {"expires_on": "2031-03-31"}, format="json")
        client.force_login(world.people.admin)
        page = client.post(
            reverse("agencies:certificate-renew", args=[veteran.pk]), {"expires_on": "2031-03-31", "reason": "到期"}
        )
    assert response.status_code == 400 and response.json()["error"]["code"] == "training_short"
    assert "未达到每年 60 学时" in response.json()["error"]["message"]
    assert page.status_code == 400 and "未达到每年 60 学时" in page.content.decode()
    assert Certificate.objects.get(pk=veteran.pk).expires_on == dt.date(2026, 3, 31)


# API v1

READERS = {"officer": 200, "head": 200, "admin": 200, "province_admin": 200, "supervisor": 200}


@pytest.mark.parametrize(
    "persona", ["officer", "partner", "reviewer", "head", "admin", "province_admin", "outsider", "supervisor"]
)
def test_the_api_lists_an_officers_training_to_the_officer_and_the_agencys_heads_and_admins(world, supervisor, persona):
    with at(DAY):
        make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="16")
        api = APIClient()
        api.force_authenticate(user=supervisor if persona == "supervisor" else getattr(world.people, persona))
        response = api.get(f"/api/v1/officers/{world.people.officer.pk}/training/")
    expected = READERS.get(persona, 404)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["progress"] == {"year": 2026, "hours": "16.0", "required": "60.0", "short": True, "exams_passed": 0}
        assert [row["course"] for row in body["records"]] == ["生态环境执法业务培训班"]
    else:
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("head", 201), ("admin", 201), ("province_admin", 201), ("officer", 403), ("reviewer", 404), ("outsider", 404)],
)
def test_the_api_records_training_for_heads_and_admins_only(world, persona, expected):
    api = APIClient()
    api.force_authenticate(user=getattr(world.people, persona))
    body = {**COURSE, "started_on": "2026-05-11", "ended_on": "2026-05-15", "hours": "32", "exam_result": "passed"}
    with at(DAY):
        response = api.post(f"/api/v1/officers/{world.people.officer.pk}/training/", body, format="json")
    assert response.status_code == expected
    assert TrainingRecord.objects.exists() is (expected == 201)
    if expected == 201:
        assert response.json()["hours"] == "32.0" and response.json()["exam_result"] == "passed"
    else:
        assert "error" in response.json()


def test_the_api_refuses_a_bad_record_as_structured_json(world):
    api = APIClient()
    api.force_authenticate(user=world.people.head)
    with at(DAY):
        response = api.post(
            f"/api/v1/officers/{world.people.officer.pk}/training/",
            {**COURSE, "started_on": "2026-05-11", "ended_on": "2026-05-01", "hours": "abc"},
            format="json",
        )
        second = api.post(
            f"/api/v1/officers/{world.people.officer.pk}/training/",
            {**COURSE, "started_on": "2026-05-11", "ended_on": "2026-05-01", "hours": "8"},
            format="json",
        )
    assert response.status_code == 400 and "hours" in response.json()["error"]["fields"]
    assert second.status_code == 400 and "ended_on" in second.json()["error"]["fields"]


@pytest.mark.parametrize("score", ["-5", "100.5", "999"])
def test_a_score_outside_0_to_100_is_refused_on_its_field_in_words(world, score):
    api = APIClient()
    api.force_authenticate(user=world.people.head)
    with at(DAY):
        response = api.post(
            f"/api/v1/officers/{world.people.officer.pk}/training/",
            {**COURSE, "exam_result": "passed", "exam_score": score},
            format="json",
        )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"exam_score": ["考试成绩应在 0 至 100 分之间。"]}
    assert not TrainingRecord.objects.exists()


def test_the_api_withdraws_a_record_for_a_recorder_only(world):
    with at(DAY):
        record = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1))
        api = APIClient()
        api.force_authenticate(user=world.people.officer)
        refused = api.post(f"/api/v1/training/{record.pk}/withdraw", {"reason": "x"}, format="json")
        api.force_authenticate(user=world.people.outsider)
        hidden = api.post(f"/api/v1/training/{record.pk}/withdraw", {"reason": "x"}, format="json")
        api.force_authenticate(user=world.people.head)
        done = api.post(f"/api/v1/training/{record.pk}/withdraw", {"reason": "重复登记"}, format="json")
    assert (refused.status_code, hidden.status_code, done.status_code) == (403, 404, 200)
    assert done.json()["withdrawal_reason"] == "重复登记"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("head", 200), ("admin", 200), ("province_admin", 200), ("officer", 403), ("outsider", 404)],
)
def test_the_api_serves_the_agencys_training_summary(world, persona, expected):
    with at(DAY):
        make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="60")
        api = APIClient()
        api.force_authenticate(user=getattr(world.people, persona))
        response = api.get(f"/api/v1/agencies/{world.harbin.pk}/training-summary/?year=2026")
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert (body["year"], body["officers"], body["trained"], body["below_requirement"]) == (2026, 3, 1, 2)
        assert [row["agency"] for row in body["agencies"]] == ["230100", "230102"]


# Pages


def test_the_officer_sees_their_own_training_against_the_requirement(world, client):
    with at(DAY):
        make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="45")
        client.force_login(world.people.officer)
        page = client.get(reverse("agencies:staff-detail", args=[world.people.officer.pk])).content.decode()
    assert 'id="training"' in page and "45</strong>" in page and 'value="75"' in page and "尚差 15 学时" in page
    assert reverse("agencies:training-create", args=[world.people.officer.pk]) not in page


def test_a_colleague_or_reviewer_does_not_see_an_officers_training(world, client):
    with at(DAY):
        make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="45")
        for persona in ("partner", "reviewer"):
            client.force_login(getattr(world.people, persona))
            page = client.get(reverse("agencies:staff-detail", args=[world.people.officer.pk])).content.decode()
            assert 'id="training"' not in page and "生态环境执法业务培训班" not in page


@pytest.mark.parametrize(("persona", "expected"), [("head", 200), ("officer", 403), ("outsider", 404)])
def test_the_form_records_training_for_heads_only(world, client, persona, expected):
    client.force_login(getattr(world.people, persona))
    url = reverse("agencies:training-create", args=[world.people.officer.pk])
    assert client.get(url).status_code == expected
    data = {**COURSE, "exam_result": "none", "started_on": "2026-05-11", "ended_on": "2026-05-15"}
    with at(DAY):
        response = client.post(url, data)
    if expected == 200:
        assert response.status_code == 302 and TrainingRecord.objects.get().hours == 32
    else:
        assert response.status_code == expected and not TrainingRecord.objects.exists()


def test_the_form_shows_what_the_service_refused(world, client):
    client.force_login(world.people.head)
    url = reverse("agencies:training-create", args=[world.people.officer.pk])
    data = {**COURSE, "exam_result": "none", "exam_score": "80", "started_on": "2026-05-11", "ended_on": "2026-05-15"}
    with at(DAY):
        response = client.post(url, data)
    assert response.status_code == 200 and "未设考试的培训不能填写考试成绩" in response.content.decode()


def test_the_head_withdraws_a_record_from_the_officers_page(world, client):
    with at(DAY):
        record = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1))
        client.force_login(world.people.head)
        page = client.get(reverse("agencies:staff-detail", args=[world.people.officer.pk])).content.decode()
        assert reverse("agencies:training-withdraw", args=[record.pk]) in page
        client.post(reverse("agencies:training-withdraw", args=[record.pk]), {"reason": "重复登记"})
    assert TrainingRecord.objects.get(pk=record.pk).withdrawal_reason == "重复登记"


def test_the_heads_desk_flags_officers_below_the_requirement_and_links_to_the_list(world, client):
    with at(DAY):
        make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="60")
        client.force_login(world.people.head)
        home = client.get(reverse("web:home")).content.decode()
        listing = client.get(reverse("agencies:training-list") + "?year=2026&below=on").content.decode()
        client.force_login(world.people.officer)
        officer_home = client.get(reverse("web:home")).content.decode()
        officer_list = client.get(reverse("agencies:training-list"))
    assert 'id="training-today"' in home and "2 名执法人员 2026 年度培训学时未达要求" in home
    assert reverse("agencies:training-list") in home
    table = listing[listing.index('id="training-officers"') :]
    assert "张丽华" in table and "李明" not in table
    assert 'id="training-today"' not in officer_home
    assert officer_list.status_code == 302 and officer_list.url == reverse(
        "agencies:staff-detail", args=[world.people.officer.pk]
    )


def test_an_officer_whose_certificates_are_all_revoked_is_no_longer_held_to_the_hours(world):
    services.certificate_revoke(actor=None, certificate=world.certificates.partner, reason="离开执法岗位")
    below = officers_below_requirement(agencies=[world.harbin], year=YEAR)
    assert world.people.partner not in {row.officer for row in below}
    assert world.people.officer in {row.officer for row in below}


def test_a_training_record_is_not_mirrored_as_an_administrative_change_in_the_security_log(world):
    from sanxiang.audit.models import AuditEvent as Event

    before = Event.objects.count()
    with at(DAY):
        record = services.training_record_create(actor=world.people.head, officer=world.people.officer, **COURSE)
    assert Event.objects.count() == before
    assert entries("training.create", record).exists()


@pytest.mark.parametrize(("persona", "expected"), [("head", 201), ("officer", 403), ("outsider", 404)])
def test_the_api_corrects_a_record_for_a_recorder_only(world, persona, expected):
    with at(DAY):
        record = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1), hours="16")
        api = APIClient()
        api.force_authenticate(user=getattr(world.people, persona))
        url = f"/api/v1/training/{record.pk}/correct"
        response = api.post(url, {"reason": "按结业证书更正", "hours": "24"}, format="json")
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["hours"] == "24.0" and response.json()["replaces"] == record.pk
        assert TrainingRecord.objects.get(pk=record.pk).is_withdrawn
        with at(DAY):
            again = api.post(url, {"reason": "再改", "hours": "30"}, format="json")
        assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_transition"
    else:
        assert not TrainingRecord.objects.get(pk=record.pk).is_withdrawn
