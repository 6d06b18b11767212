"""当事人查询 (《行政处罚法》第四十一条第三款): telling the party makes the key of its own page of the data; the page, with
no login, shows the exceedance with its values, limit and source, the day's hourly means and the sealed hours' SHA-256;
a key that is no one's is a 404 that names nothing; the key never reaches the ledger; an officer can replace it, the
old one answering no more."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.core.errors import RuleViolation
from sanxiang.ledger.models import Entry
from sanxiang.monitoring import checklist
from sanxiang.monitoring.models import EvidenceCheck, Segment
from sanxiang.testing.cases import at
from sanxiang.testing.clues import clue_case
from sanxiang.testing.crawl import check_page

pytestmark = pytest.mark.django_db
TOLD = dt.date(2026, 9, 2)


@pytest.fixture
def told(world, files):
    case, _device = clue_case(world, files)
    check = EvidenceCheck.objects.get(case=case)
    assert check.party_key is None  # no page before the party is told
    with at(TOLD):
        return checklist.check_tell_party(actor=world.people.officer, check=check, told_on=TOLD, how="送达告知书")


def test_telling_the_party_makes_the_key_of_its_page_once_and_never_ledgers_it(world, told):
    key = told.party_key
    assert len(key) == 32
    with at(TOLD):
        again = checklist.check_tell_party(actor=world.people.officer, check=told, told_on=TOLD, how="电话再次告知")
    assert again.party_key == key  # the notice already given still leads to the page
    assert not Entry.objects.filter(body__contains=key).exists()


def test_the_party_reads_its_data_without_logging_in(client, told):
    response = client.get(reverse("portal:monitoring-party", args=[told.party_key]))
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in page
    assert told.case.party.name in page and "超标排放大气污染物案" in page
    # the exceedance: factor, hour, average against the limit and its source, the minutes counted
    assert "二氧化硫" in page and "2026-08-30 10:00–11:00" in page and "180 mg/m3" in page and "100 mg/m3" in page
    assert "60 个有效分钟值" in page
    # the day by the hour, drawn and tabled, and the sealed hour with its ledgered SHA-256
    assert 'data-series="day-1"' in page and 'id="day-1" type="application/json"' in page
    segment = Segment.objects.get(sealed_at__isnull=False)
    assert segment.sha256 in page
    assert "送达告知书" in page and "陈述、申辩" in page


@pytest.mark.parametrize("key", ["x" * 32, "short", "%00" * 11])
def test_a_key_that_is_no_ones_is_a_404_that_names_nothing(client, told, key):
    response = client.get(reverse("portal:monitoring-party", args=[key]))
    page = response.content.decode()
    assert response.status_code == 404 and "查询码不对应任何案件" in page
    assert told.case.party.name not in page


def test_the_case_page_and_the_api_give_the_officer_the_address_to_hand_over(client, world, told):
    api = APIClient()
    api.force_authenticate(world.people.officer)
    data = api.get(f"/api/v1/monitoring/checks/{told.pk}/").json()
    # at the portal's public address, not the host the officer reached the workbench by
    assert data["party_url"] == f"{settings.PUBLIC_URL}/monitoring/party/{told.party_key}/"
    client.force_login(world.people.officer)
    page = client.get(reverse("cases:case-detail", args=[told.case_id])).content.decode()
    assert f"{settings.PUBLIC_URL}/monitoring/party/{told.party_key}/" in page and "testserver" not in page
    api.force_authenticate(world.people.outsider)
    assert api.get(f"/api/v1/monitoring/checks/{told.pk}/").status_code == 404


def test_an_officer_replaces_the_key_with_a_reason_and_the_old_address_answers_no_more(client, world, told):
    old = told.party_key
    api = APIClient()
    api.force_authenticate(world.people.officer)
    path = f"/api/v1/monitoring/checks/{told.pk}/reissue_party_key"
    refused = api.post(path, {"reason": "", "version": told.version}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    done = api.post(path, {"reason": "告知书误送至相邻企业", "version": told.version}, format="json")
    assert done.status_code == 200, done.content
    told.refresh_from_db()
    assert told.party_key != old and len(told.party_key) == 32
    assert done.json()["party_url"].endswith(f"/monitoring/party/{told.party_key}/")
    assert client.get(reverse("portal:monitoring-party", args=[old])).status_code == 404
    assert client.get(reverse("portal:monitoring-party", args=[told.party_key])).status_code == 200
    body = bytes(Entry.objects.get(action="evidence_check.reissue_party_key").body).decode()
    assert "告知书误送至相邻企业" in body and old not in body and told.party_key not in body
    api.force_authenticate(world.people.clerk)
    assert api.post(path, {"reason": "再次更换", "version": told.version}, format="json").status_code in (403, 404)


def test_no_key_is_replaced_before_the_party_is_told(world, files):
    case, _device = clue_case(world, files)
    check = EvidenceCheck.objects.get(case=case)
    with pytest.raises(RuleViolation) as refused:
        checklist.check_reissue_party_key(actor=world.people.officer, check=check, reason="误送")
    assert refused.value.code == "party_not_told" and EvidenceCheck.objects.get(pk=check.pk).party_key is None


@pytest.mark.browser
def test_the_partys_page_fits_a_phone_with_its_day_drawn(live_data, world, files, browser, live_server):
    case, _device = clue_case(world, files)
    check = EvidenceCheck.objects.get(case=case)
    with at(TOLD):
        check = checklist.check_tell_party(actor=world.people.officer, check=check, told_on=TOLD, how="送达告知书")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}{reverse('portal:monitoring-party', args=[check.party_key])}")
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('canvas[data-series=\"day-1\"]'))")
    legend = page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-series=\"day-1\"]')).data.datasets.map(set => set.label)"
    )
    assert legend[0].startswith("有效数据") and any(label.startswith("限值 100") for label in legend)
    assert check_page(page, 390) == []
