"""The demo's 行政执法监督: three notices of the province's supervisor to city bureaus in three states, built through
the services so every move is in the ledger (test_demo verifies the whole demo's ledger), and the desk and the heads' home pages show them."""

import datetime as dt

from django.urls import reverse

from sanxiang.demo.agencies import load_agencies, load_staff
from sanxiang.demo.supervision import load_supervision
from sanxiang.ledger.models import Entry
from sanxiang.supervision.models import Notice
from sanxiang.testing.cases import at

TODAY = dt.date(2026, 12, 4)


def test_the_demo_notices_are_built_through_the_services(db, client):
    with at(TODAY):
        agencies = load_agencies(today=TODAY)
        staff = load_staff(agencies=agencies, today=TODAY)
        assert load_supervision(today=TODAY) == 3
        assert load_supervision(today=TODAY) == 0  # loads once
    states = dict(Notice.objects.values_list("agency__code", "status"))
    assert states == {"230100": "closed", "230200": "responded", "230600": "acknowledged"}
    harbin = Notice.objects.get(agency__code="230100")
    assert harbin.returns == 1 and harbin.responded_in_time is True
    assert Notice.objects.get(agency__code="230600").is_overdue(TODAY)
    assert Entry.objects.filter(subject_type="supervision.notice").count() == 12
    with at(TODAY):
        client.force_login(staff["dq.head"])
        assert "行政许可申请超期未作出决定" in client.get(reverse("web:home")).content.decode()
        client.force_login(staff["hlj.supervisor"])
        desk = client.get(reverse("supervision:desk")).content.decode()
        assert "大庆市生态环境局" in desk and "逾期未报送 1" in desk
