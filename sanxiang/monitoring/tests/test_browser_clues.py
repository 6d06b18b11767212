"""On a phone, in a real browser: the clue list with a finding, the exceedance a maintenance flag hid, and a device
whose review had not passed, each said in words, and the page fits a 390 px screen."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.monitoring.clues import exceedances_find
from sanxiang.testing.browser import fits, login
from sanxiang.testing.clues import SO2, local_hour, monitored, send

pytestmark = pytest.mark.browser


def test_the_clue_list_says_what_was_found_and_what_was_left_out_on_a_phone(
    live_data, browser, live_server, world, files
):
    day = timezone.localdate() - dt.timedelta(days=2)
    found, hidden, unreviewed = (
        monitored(world.harbin),
        monitored(world.harbin),
        monitored(world.harbin, reviewed=False),
    )
    send(files, found, local_hour(day, 10), {SO2: 180.0})
    send(files, hidden, local_hour(day, 10), {SO2: 300.0}, flag="M")
    send(files, unreviewed, local_hour(day, 10), {SO2: 300.0})
    exceedances_find(day=day)
    page = login(browser, live_server, "officer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/monitoring/clues/")
    text = page.locator("main").inner_text()
    assert found.point.party.name in text and "已转检查任务" in text
    assert "数据标志无效（非 N）" in text and "设备未经审核或已停用" in text and "依规不计入" in text
    assert fits(page)
