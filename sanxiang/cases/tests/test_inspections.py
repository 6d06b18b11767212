import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Inspection, Stage
from sanxiang.core.errors import RuleViolation
from sanxiang.documents.models import Document
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import at, make_party
from sanxiang.testing.factories import make_certificate, make_staff

START = dt.datetime(2026, 9, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def on_the_day():
    """The inspections are recorded on the day they take place, at the end of it."""
    with at(START.date(), hour=18):
        yield


def test_an_inspection_needs_two_officers_with_certificates_valid_that_day(world):
    party = make_party(world.harbin)
    with pytest.raises(RuleViolation) as error:
        services.inspection_start(
            actor=world.people.officer,
            agency=world.harbin,
            party=party,
            place="厂区",
            started_at=START,
            officers=[world.people.officer],
            **EMERGENCY,
        )
    assert "第四十二条" in error.value.messages[0]
    lapsed = make_staff(agency=world.harbin, roles=["officer"], full_name="王过期")
    make_certificate(holder=lapsed, issued_on=dt.date(2020, 1, 1), expires_on=dt.date(2026, 8, 31))
    with pytest.raises(RuleViolation, match="王过期"):
        services.inspection_start(
            actor=world.people.officer,
            agency=world.harbin,
            party=party,
            place="厂区",
            started_at=START,
            officers=[world.people.officer, lapsed],
            **EMERGENCY,
        )
    with pytest.raises(RuleViolation, match="不属于本机关"):
        services.inspection_start(
            actor=world.people.officer,
            agency=world.harbin,
            party=party,
            place="厂区",
            started_at=START,
            officers=[world.people.officer, world.people.outsider],
            **EMERGENCY,
        )
    assert not Inspection.objects.exists()


def test_an_inspection_records_a_refusal_to_sign_and_opens_a_case(world):
    party = make_party(world.harbin)
    inspection = services.inspection_start(
        actor=world.people.officer,
        agency=world.harbin,
        party=party,
        place="厂区",
        started_at=START,
        officers=[world.people.officer, world.people.partner],
        **EMERGENCY,
    )
    with pytest.raises(ValidationError):
        services.inspection_complete(
            actor=world.people.officer,
            inspection=inspection,
            ended_at=START + dt.timedelta(hours=2),
            findings="脱硫设施未运行",
            violation_found=True,
            signature="refused",
        )
    inspection = services.inspection_complete(
        actor=world.people.officer,
        inspection=inspection,
        ended_at=START + dt.timedelta(hours=2),
        findings="脱硫设施未运行",
        violation_found=True,
        signature="refused",
        signature_note="法定代表人拒绝签名，见证人张某签名",
    )
    assert Document.objects.filter(doc_type="inspection_record", subject_id=str(inspection.pk)).exists()
    with at(dt.date(2026, 9, 1)):
        case = services.case_open(
            actor=world.people.officer,
            agency=world.harbin,
            party=party,
            title="脱硫设施不正常运行案",
            source="inspection",
            inspection=inspection,
            act_date=dt.date(2026, 9, 1),
            discovered_on=timezone.localdate(),
        )
    assert case.stage == Stage.CLUE and case.inspection == inspection


def test_a_natural_persons_id_number_is_checked_and_stays_out_of_the_ledger(world):
    from sanxiang.ledger.models import Entry

    with pytest.raises(ValidationError):
        make_party(world.harbin, kind="natural_person", uscc="", id_number="110105194912310021", name="张三")
    person = make_party(world.harbin, kind="natural_person", uscc="", id_number="11010519491231002X", name="张三")
    body = bytes(Entry.objects.get(action="party.create", subject_id=str(person.pk)).body).decode()
    assert "11010519491231002X" not in body and "张三" not in body and "natural_person" in body
