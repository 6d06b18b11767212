"""On a phone, in a real browser: the page of a seizure's case, whose course is a sentence, fits 390 px."""

import pytest

from sanxiang.testing.browser import fits, login
from sanxiang.testing.cases import at, open_case, walk
from sanxiang.testing.measures import SEIZED, record, seizure

pytestmark = pytest.mark.browser


def test_a_seizure_case_page_fits_a_phone(live_data, browser, live_server, world):
    case = walk(world, open_case(world), "filed")
    with at(SEIZED):
        record(world, case)
    sealed = seizure(world, case)
    page = login(browser, live_server, "head")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/cases/{sealed.case_id}/")
    assert "经法制审核、负责人批准后实施" in page.content()
    assert fits(page)
