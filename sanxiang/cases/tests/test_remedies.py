"""行政复议 and 行政诉讼 on the case: while one runs the 加处罚款 is not counted (《行政处罚法》第七十三条第三款); the fine
alone may be paid, the 加处罚款 then staying owed; an outcome that changes, revokes, or finds the decision unlawful or
void withdraws its publication at once (第四十八条第二款)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from sanxiang.cases import deadlines, services
from sanxiang.cases.models import Case, Stage, Violation
from sanxiang.ledger.models import Entry
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.publicity import decided, published

DUE = dt.date(2026, 10, 27)  # fifteen days from service on 12 October


def served(world):
    case = walk(
        world, open_case(world, violation=Violation.objects.get(code="DQ-117")), "served", fine=Decimal("10000")
    )
    assert deadlines.payment_due(case).date == DUE
    return case


def bring(world, case, filed_on, kind="reconsideration"):
    with at(filed_on):
        return services.challenge_record(
            actor=world.people.reviewer,
            case=case,
            kind=kind,
            body="哈尔滨市人民政府",
            reference="哈政复〔2026〕18号",
            filed_on=filed_on,
        )


def decide(world, case, challenge, on, outcome, note=""):
    with at(on):
        return services.challenge_decide(
            actor=world.people.reviewer, case=case, challenge=challenge, decided_on=on, outcome=outcome, note=note
        )


def test_the_days_of_a_reconsideration_add_no_surcharge(world):
    case = served(world)
    challenge = bring(world, case, dt.date(2026, 10, 29))
    # 16 days late on 12 November, of which 29 October to 10 November (13 days, both ends) were under 复议
    decide(world, case, challenge, dt.date(2026, 11, 10), "upheld")
    case = Case.objects.get(pk=case.pk)
    assert deadlines.surcharge_days(case, until=dt.date(2026, 11, 12)) == 3
    assert services.late_fee(case, dt.date(2026, 11, 12)) == Decimal("900.00")


def test_an_open_challenge_stops_the_surcharge_up_to_today(world):
    case = served(world)
    bring(world, case, dt.date(2026, 10, 28))
    case = Case.objects.get(pk=case.pk)
    assert deadlines.surcharge_days(case, until=dt.date(2026, 11, 30)) == 0


def test_the_fine_alone_may_be_paid_and_the_surcharge_stays_owed_until_paid(world, client):
    case = served(world)
    paid = DUE + dt.timedelta(days=2)
    with at(paid):
        case = services.case_record_payment(
            actor=world.people.officer, case=case, paid_on=paid, amount=Decimal("10000")
        )
    assert (case.paid_on, case.surcharge_owed, case.surcharge_paid_on) == (paid, Decimal("600.00"), None)
    client.force_login(world.people.officer)
    assert "尚欠加处罚款 600.00 元" in client.get(f"/workbench/cases/{case.pk}/").content.decode()
    with at(paid):
        refused("not_executed", lambda: services.case_close(actor=world.people.head, case=case, summary="罚款已缴"))
        with pytest.raises(ValidationError):
            services.case_record_payment(actor=world.people.officer, case=case, paid_on=paid, amount=Decimal("599"))
        case = services.case_record_payment(actor=world.people.officer, case=case, paid_on=paid, amount=Decimal("600"))
        assert case.surcharge_paid_on == paid
        refused(
            "nothing_to_pay",
            lambda: services.case_record_payment(
                actor=world.people.officer, case=case, paid_on=paid, amount=Decimal("1")
            ),
        )
        case = services.case_close(actor=world.people.head, case=case, summary="罚款及加处罚款已缴清")
    assert case.stage == Stage.CLOSED


@pytest.mark.parametrize("outcome", ["revoked", "unlawful", "altered", "void"])
def test_a_changed_decision_has_its_publication_withdrawn_at_once(world, outcome):
    publication = published(world)
    case = publication.case
    challenge = bring(world, case, DECIDED + dt.timedelta(days=3))
    changed = dt.date(2026, 11, 20)
    decide(world, case, challenge, changed, outcome, note="认定事实的监测报告采样程序违法")
    publication.refresh_from_db()
    assert publication.status == Publication.Status.WITHDRAWN
    assert publication.changed_on == changed and publication.withdraw_due_on == dt.date(2026, 11, 25)
    assert "哈尔滨市人民政府" in publication.withdrawal_reason and "经行政复议" in publication.withdrawal_reason
    assert Entry.objects.filter(action="publication.withdraw", subject_id=str(publication.pk)).exists()


def test_an_upheld_decision_stays_published(world):
    publication = published(world)
    challenge = bring(world, publication.case, DECIDED + dt.timedelta(days=3))
    decide(world, publication.case, challenge, dt.date(2026, 11, 20), "upheld")
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED


def test_a_decision_revoked_before_publication_is_kept_off_the_internet(world):
    publication = decided(world)
    challenge = bring(world, publication.case, DECIDED + dt.timedelta(days=1))
    decide(world, publication.case, challenge, DECIDED + dt.timedelta(days=2), "revoked", note="主要证据不足")
    publication.refresh_from_db()
    assert publication.status == Publication.Status.WITHHELD and "撤销" in publication.withheld_reason


def test_a_revoked_decision_needs_no_payment_to_close(world):
    case = served(world)
    challenge = bring(world, case, dt.date(2026, 10, 20))
    decide(world, case, challenge, dt.date(2026, 11, 20), "revoked", note="主要证据不足")
    with at(dt.date(2026, 11, 23)):
        refused(
            "nothing_to_pay",
            lambda: services.case_record_payment(
                actor=world.people.officer, case=case, paid_on=dt.date(2026, 11, 23), amount=Decimal("10000")
            ),
        )
        case = services.case_close(actor=world.people.head, case=case, summary="处罚决定经复议被撤销")
    assert case.stage == Stage.CLOSED


def test_bad_challenges_are_refused(world):
    case = served(world)
    with at(DECIDED), pytest.raises(ValidationError) as error:
        services.challenge_record(
            actor=world.people.reviewer, case=case, kind="reconsideration", body="", filed_on=DECIDED
        )
    assert "body" in error.value.message_dict
    challenge = bring(world, case, dt.date(2026, 10, 20))
    refused("challenge_open", lambda: bring(world, case, dt.date(2026, 10, 21), kind="litigation"))
    with pytest.raises(ValidationError) as error:
        decide(world, case, challenge, dt.date(2026, 11, 20), "revoked")
    assert "note" in error.value.message_dict
    assert Case.objects.get(pk=case.pk).challenges.get().outcome == ""


@pytest.mark.parametrize(("persona", "status"), [("officer", 403), ("reviewer", 200)])
def test_the_api_records_a_challenge_for_the_legal_staff_only(world, persona, status):
    case = served(world)
    api = APIClient()
    api.force_authenticate(getattr(world.people, persona))
    with at(dt.date(2026, 10, 20)):
        response = api.post(
            f"/api/v1/cases/{case.pk}/challenge",
            {"kind": "litigation", "body": "哈尔滨铁路运输法院", "day": "2026-10-20", "version": case.version},
            format="json",
        )
    assert response.status_code == status
    if status == 200:
        assert response.json()["challenges"][0]["body"] == "哈尔滨铁路运输法院"
        assert "challenge_outcome" in response.json()["actions"]
