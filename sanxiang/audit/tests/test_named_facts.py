"""Facts that point at an agency by its code or at a record by its reference read as names on the audit page and in
histories: the agency's name (its code after it), the record's kind and number linked to its page for a reader who
may open it."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from sanxiang.audit.selectors import readable
from sanxiang.cases import services
from sanxiang.core.references import SUBJECT_PAGES
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import DISCOVERED, add_evidence, at, open_case
from sanxiang.testing.supervision import issue_notice, supervision_people


def test_the_audit_page_names_the_agencies_whose_codes_an_entry_holds(client, world):
    issue_notice(world, supervision_people(world).supervisor)
    case = open_case(world, act_division="230206")
    with at(DISCOVERED + dt.timedelta(days=1)):
        services.case_transfer(actor=world.people.head, case=case, to_agency=world.qiqihar, reason="发生地在齐齐哈尔市")
    client.force_login(world.people.province_auditor)
    page = client.get(reverse("audit:audit")).content.decode()
    assert "制发机关：黑龙江省生态环境厅（230000）" in page
    assert "自：哈尔滨市生态环境局（230100）" in page and "至：齐齐哈尔市生态环境局（230200）" in page
    assert "制发机关：230000" not in page and "自：230100" not in page
    history = client.get(reverse("audit:history", args=["agencies.agency", world.harbin.pk])).content.decode()
    assert "上级机关：黑龙江省生态环境厅（230000）" in history


def test_a_case_an_entry_refers_to_is_named_and_linked_for_those_who_may_open_it(client, world):
    case = open_case(world)
    add_evidence(world, case)
    client.force_login(world.people.auditor)
    page = client.get(reverse("audit:audit")).content.decode()
    link = reverse("cases:case-detail", args=[case.pk])
    assert f'所属记录：<a href="{link}">案件 超标排放大气污染物案</a>' in page
    assert "cases.case:" not in page
    # a reader the case's gate turns away reads what the reference says, and no more
    entries = Entry.objects.filter(action="evidence.ingest", subject_type="evidence.evidenceitem")
    [line] = readable(entries, user=world.people.outsider)
    assert line.data["for"] == "案件" and not line.data["for"].url


def test_every_kind_of_record_a_fact_may_name_has_a_page_and_turns_away_what_it_cannot_find(world):
    assert {"cases.case", "cases.inspection", "inspections.approval", "licensing.application"} <= set(SUBJECT_PAGES)
    for page in SUBJECT_PAGES.values():
        assert reverse(page.url, args=[1])
        with pytest.raises(Http404):
            page.gate(user=world.people.officer, **{page.keyword: 0})
