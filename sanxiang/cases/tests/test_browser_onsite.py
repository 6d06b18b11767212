"""On a phone, in a real browser: an officer files an on-the-spot decision past its period with the reason, and
the head, from the workbench's to-do list, acknowledges it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import OnSitePenalty
from sanxiang.testing.browser import fits, login
from sanxiang.testing.cases import make_party

pytestmark = pytest.mark.browser


def test_a_late_filing_and_its_acknowledgement_on_a_phone(live_data, browser, live_server, world):
    decided_at = timezone.now() - dt.timedelta(days=10)
    penalty = services.onsite_penalty_decide(
        actor=world.people.officer,
        agency=world.harbin,
        party=make_party(world.harbin),
        officers=[world.people.officer, world.people.partner],
        decided_at=decided_at,
        place="道里区新阳路",
        facts="露天焚烧废弃包装物",
        basis="《大气污染防治法》第一百一十九条",
        kind="fine",
        fine=Decimal("500"),
        late_reason="纸质决定书补录",
    )
    page = login(browser, live_server, "partner")
    page.set_viewport_size({"width": 390, "height": 844})
    assert "当场处罚报备案" in page.content() and fits(page)
    page.goto(f"{live_server.url}/workbench/cases/onsite/records/")
    assert penalty.number in page.content() and fits(page)
    page.click('main a.button:has-text("报备案")')
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "已超过报备案期限" in page.content() and fits(page)
    page.fill("#id_late_reason", "两名执法人员连续外勤，存根今日交回")
    page.click("main button[type=submit]")
    page.wait_for_url("**/onsite/records/")
    assert "已报备案，待负责人确认" in page.content()
    page = login(browser, live_server, "head")
    page.set_viewport_size({"width": 390, "height": 844})
    assert "确认当场处罚备案" in page.content()
    page.click(f"main a:has-text('{penalty.number}')")
    page.wait_for_url("**/onsite/records/")
    page.click("main a.button:has-text('确认备案')")
    page.select_option("#id_sound", "no")
    page.click("main button[type=submit]")
    page.wait_for_load_state()  # the refused form comes back as a new page: read it once it is there
    assert "有异议的，请写明问题和处理意见" in page.content()
    page.fill("#id_opinion", "逾期报备案，今后须在三个工作日内报送")
    page.click("main button[type=submit]")
    page.wait_for_url("**/onsite/records/")
    assert "有异议" in page.content() and fits(page)
    assert OnSitePenalty.objects.get(pk=penalty.pk).status == OnSitePenalty.Status.ACKNOWLEDGED
