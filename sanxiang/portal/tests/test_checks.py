"""扫码入企 on the portal and the public API: the code's page shows the registered inspection and its officers with
their certificates today, an unknown code is 404 and says nothing else, the forms refuse a wrong credit code."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from sanxiang.agencies.models import Certificate
from sanxiang.inspections.feedback_models import InspectionRating
from sanxiang.ledger.models import Entry
from sanxiang.testing.approvals import inspected
from sanxiang.testing.cases import make_party


def _inspected(world, **options):
    party = make_party(world.harbin)
    officers = [world.people.officer, world.people.partner]
    return party, inspected(head=world.people.head, officers=officers, party=party, **options)


def test_the_code_page_shows_the_inspection_and_its_officers_with_their_certificates_today(world, client):
    party, approval = _inspected(world, complete=False)
    # the partner's certificate expired yesterday: shown, but not valid today
    Certificate.objects.filter(holder=world.people.partner).update(expires_on=timezone.localdate() - dt.timedelta(1))
    page = client.get(f"/checks/{approval.code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert party.name in text and world.harbin.name in text and "已批准" in text
    assert world.certificates.officer.number in text and world.certificates.partner.number in text
    assert text.count('class="badge ok">有效') == 1 and text.count('class="badge bad">无效') == 1
    assert "提交评价" not in text and "检查结束后" in text
    assert client.get(f"/checks/{approval.code}/qr.png")["Content-Type"] == "image/png"


def test_an_unknown_code_is_404_with_a_chinese_page_and_nothing_else(world, client):
    _inspected(world)
    for code in ("AAAAAAAAAAAAAAAA", "x", "%E6%A3%80%E6%9F%A5"):
        page = client.get(f"/checks/{code}/")
        assert page.status_code == 404 and "该检查码未在本平台登记" in page.content.decode()
    assert APIClient().get("/api/v1/public/checks/AAAAAAAAAAAAAAAA/").status_code == 404


def test_the_enterprise_rates_on_the_page_and_a_wrong_credit_code_writes_nothing(world, client):
    party, approval = _inspected(world)
    entries = Entry.objects.count()
    refused = client.post(f"/checks/{approval.code}/rating", {"uscc": "91230100MA1234567X", "stars": "5"})
    assert refused.status_code == 400 and "统一社会信用代码与被检查企业不符" in refused.content.decode()
    assert not InspectionRating.objects.exists() and Entry.objects.count() == entries
    done = client.post(f"/checks/{approval.code}/rating", {"uscc": party.uscc, "stars": "4", "comment": "规范"})
    assert done.status_code == 302 and InspectionRating.objects.get().stars == 4
    assert "提交评价" not in client.get(done["Location"]).content.decode()


def test_the_public_api_looks_up_a_code_and_answers_bad_input_with_structured_400(world):
    party, approval = _inspected(world)
    api = APIClient()
    found = api.get(f"/api/v1/public/checks/{approval.code}/").json()
    assert found["party_name"] == party.name and found["completed"] and found["may_rate"]
    assert {officer["valid_today"] for officer in found["officers"]} == {True}
    refused = api.post(f"/api/v1/public/checks/{approval.code}/rating", {"uscc": party.uscc, "stars": 9}, format="json")
    assert refused.status_code == 400 and "stars" in refused.json()["error"]["fields"]
    wrong = api.post(f"/api/v1/public/checks/{approval.code}/rating", {"uscc": "X", "stars": 3}, format="json")
    assert wrong.status_code == 400 and "uscc" in wrong.json()["error"]["fields"]
    assert not InspectionRating.objects.exists()
    made = api.post(
        f"/api/v1/public/checks/{approval.code}/complaints",
        {"uscc": party.uscc, "category": "repeated", "text": "一个月内第三次检查同一事项"},
        format="json",
    )
    assert made.status_code == 201
