"""The desk's flags, each read through its own app's selector over the supervised agencies: an open case past its
deadline, an application past its period, a late publication — counted under their agency, listed with the link to
their page; nothing of an agency outside the supervisor's branch."""

import datetime as dt

from sanxiang.supervision import selectors
from sanxiang.supervision.flags import KINDS
from sanxiang.testing.cases import at, open_case
from sanxiang.testing.licensing import make_type, submit
from sanxiang.testing.supervision import supervision_people

OPENED = dt.date(2026, 11, 2)
LATER = dt.date(2026, 12, 21)


def test_every_kind_reads_through_its_app_and_counts_under_its_agency(world):
    sup = supervision_people(world)
    with at(OPENED):
        case = open_case(world)
        application = submit(world.people.officer, make_type(world.harbin))
    with at(LATER):
        cards, flags = selectors.desk(sup.supervisor, today=LATER, year=2026)
    harbin = next(card for card in cards if card.agency == world.harbin)
    assert harbin.counts.get("case_overdue") == 1 and harbin.counts.get("application_overdue") == 1
    urls = {(flag.kind, flag.url) for flag in flags}
    assert ("case_overdue", f"/workbench/cases/{case.pk}/") in urls
    assert ("application_overdue", f"/workbench/licensing/applications/{application.pk}/") in urls
    assert {flag.kind for flag in flags} <= set(KINDS)
    # a supervisor of 道里 (below 哈尔滨) sees none of 哈尔滨's records; 齐齐哈尔's supervisor has nothing below
    with at(LATER):
        assert selectors.desk(sup.daoli_supervisor, today=LATER, year=2026) == ([], [])
        assert selectors.flags_for_agency(sup.qiqihar_supervisor, world.harbin, today=LATER, year=2026) == []
        named = selectors.flags_for_agency(sup.supervisor, world.harbin, today=LATER, year=2026)
    assert {flag.kind for flag in named} >= {"case_overdue", "application_overdue"}


def test_an_application_is_not_flagged_before_its_deadline(world):
    sup = supervision_people(world)
    with at(OPENED):
        submit(world.people.officer, make_type(world.harbin))
        cards, flags = selectors.desk(sup.supervisor, today=OPENED, year=2026)
    assert flags == [] and all(card.total == 0 for card in cards)
