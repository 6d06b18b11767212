"""Jurisdiction follows the place of the act (《行政处罚法》第二十二条), not where the party is registered: an agency files
only what happened in its area, and sends any other clue to the agency of that place (移送管辖), on the record."""

import datetime as dt

from sanxiang.cases import services
from sanxiang.cases.models import Stage, Transfer
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import DISCOVERED, FILED, at, make_party, open_case
from sanxiang.testing.checks import refused


def file(world, case, head):
    with at(FILED):
        return services.case_file(
            actor=head, case=case, investigators=[world.people.officer, world.people.partner], opinion="同意立案"
        )


def test_an_act_outside_the_area_is_not_filed_and_is_transferred_to_the_agency_of_its_place(world, client):
    case = open_case(world, act_place="齐齐哈尔市富拉尔基区钢厂路 9 号", act_division="230206")
    error = refused("not_competent", lambda: file(world, case, world.people.head))
    assert "230206" in error.messages[0] and "第二十二条" in error.messages[0]
    with at(DISCOVERED + dt.timedelta(days=1)):
        refused(
            "not_competent",
            lambda: services.case_transfer(
                actor=world.people.head, case=case, to_agency=world.daoli, reason="发生地在齐齐哈尔市"
            ),
        )
        case = services.case_transfer(
            actor=world.people.head, case=case, to_agency=world.qiqihar, reason="违法行为发生地在齐齐哈尔市富拉尔基区"
        )
    transfer = Transfer.objects.get(case=case)
    assert (transfer.from_agency, transfer.to_agency, case.agency, case.stage) == (
        world.harbin,
        world.qiqihar,
        world.qiqihar,
        Stage.CLUE,
    )
    assert Entry.objects.filter(action="case.transfer", subject_id=str(case.pk)).exists()


def test_a_party_registered_elsewhere_is_filed_where_it_acted(world):
    elsewhere = make_party(world.harbin, name="大庆某运输公司", address="大庆市龙凤区")
    case = open_case(world, party=elsewhere, act_place="哈尔滨市松北区化工路", act_division="230109")
    assert file(world, case, world.people.head).stage == Stage.INVESTIGATING


def test_only_the_head_transfers(world):
    case = open_case(world, act_division="230206")
    with at(DISCOVERED):
        refused(
            "head_approval_required",
            lambda: services.case_transfer(
                actor=world.people.officer, case=case, to_agency=world.qiqihar, reason="发生地在齐齐哈尔市"
            ),
        )
