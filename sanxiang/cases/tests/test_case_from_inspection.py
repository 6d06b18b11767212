"""据此登记案源: a clue found on an inspection opens with what the inspection recorded, and names it."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sanxiang.cases import services
from sanxiang.cases.models import Case
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import at, make_party

START = dt.datetime(2026, 9, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def inspection(world):
    with at(START.date(), hour=18):
        started = services.inspection_start(
            actor=world.people.officer,
            agency=world.harbin,
            party=make_party(world.harbin, name="哈尔滨某涂装有限公司"),
            place="道里区新阳路 8 号喷漆车间",
            started_at=START,
            officers=[world.people.officer, world.people.partner],
            **EMERGENCY,
        )
        return services.inspection_complete(
            actor=world.people.officer,
            inspection=started,
            ended_at=START + dt.timedelta(hours=2),
            findings="喷漆车间废气收集装置未运行，车间门窗敞开。",
            violation_found=True,
            signature="signed",
        )


def test_the_form_carries_the_party_place_day_and_findings_over(client, world, inspection):
    client.force_login(world.people.officer)
    with at(START.date(), hour=18):
        detail = client.get(reverse("cases:inspection-detail", args=[inspection.pk])).content.decode()
        link = f"{reverse('cases:case-open')}?inspection={inspection.pk}"
        assert link in detail
        page = client.get(link).content.decode()
    assert f'<option value="{inspection.party_id}" selected>' in page
    assert 'value="道里区新阳路 8 号喷漆车间"' in page and "喷漆车间废气收集装置未运行" in page
    assert 'value="2026-09-01"' in page and f'name="inspection" value="{inspection.pk}"' in page


def test_the_clue_names_its_inspection_and_filing_proposes_its_officers(client, world, inspection):
    client.force_login(world.people.officer)
    with at(START.date(), hour=18):
        response = client.post(
            reverse("cases:case-open"),
            {
                "inspection": inspection.pk,
                "party": inspection.party_id,
                "title": "喷漆废气未收集处理",
                "source": "inspection",
                "act_date": "2026-09-01",
                "discovered_on": "2026-09-01",
                "act_place": inspection.place,
                "act_division": "230102",
            },
        )
    case = Case.objects.get(title="喷漆废气未收集处理")
    assert response.status_code == 302 and case.inspection == inspection
    client.force_login(world.people.head)
    with at(START.date(), hour=18):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    ticked = re.findall(r'<input type="checkbox" name="investigators" value="(\d+)"[^>]*checked', page)
    assert sorted(map(int, ticked)) == sorted([world.people.officer.pk, world.people.partner.pk])


def test_another_agencys_inspection_is_not_found(client, world, inspection):
    client.force_login(world.people.outsider)
    assert client.get(f"{reverse('cases:case-open')}?inspection={inspection.pk}").status_code == 404
