"""The desk's flags, each read through its own app's selector over the supervised agencies: an open case past its
deadline, an application past its period, a late publication — counted under their agency, listed with the link to
their page; nothing of an agency outside the supervisor's branch."""

import datetime as dt
from decimal import Decimal

from sanxiang.review import services as review_services
from sanxiang.supervision import selectors
from sanxiang.supervision.flags import KINDS
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.licensing import make_type, submit
from sanxiang.testing.reviews import find_problems
from sanxiang.testing.reviews import submit as submit_for_review
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


def test_a_review_whose_opinion_the_heads_did_not_adopt_is_flagged_with_a_link_to_it(world):
    sup = supervision_people(world)
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"), evidence=False)
    with at(DECIDED):
        review = submit_for_review(world, case)
        find_problems(world.people.counsel, review)
        review_services.review_contest(actor=world.people.officer, review=review, reason="监测数据已经复核")
        review_services.review_coordinate(
            actor=world.people.head, review=review, decision="overrule", note="不采纳审核意见"
        )
        cards, flags = selectors.desk(sup.supervisor, today=DECIDED, year=DECIDED.year, kind="review_overruled")
    harbin = next(card for card in cards if card.agency == world.harbin)
    assert harbin.counts.get("review_overruled") == 1
    assert [(flag.record_id, flag.url) for flag in flags] == [(review.pk, f"/workbench/reviews/{review.pk}/")]
    assert case.party.name in flags[0].label
    with at(DECIDED):
        assert selectors.desk(sup.qiqihar_supervisor, today=DECIDED, year=DECIDED.year) == ([], [])
        assert selectors.desk(sup.supervisor, today=DECIDED, year=DECIDED.year - 1, kind="review_overruled")[1] == []
