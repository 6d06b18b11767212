"""The training pages on a 390 px phone in a real browser, as the head who records and the officer who reads: none
wider than the screen, none with a raw Python value or an untranslated label (sanxiang.testing.crawl)."""

import datetime as dt

import pytest

from sanxiang.agencies.models import ExamResult
from sanxiang.testing.browser import login
from sanxiang.testing.crawl import crawl
from sanxiang.testing.factories import make_training

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_training_pages_fit_a_phone(live_data, world, browser, live_server):
    year = dt.date.today().year
    make_training(
        officer=world.people.officer, ended_on=dt.date(year, 1, 20), hours="24", exam_result=ExamResult.PASSED
    )
    make_training(officer=world.people.partner, ended_on=dt.date(year, 1, 10), hours="8")
    officer = world.people.officer.pk
    pages = {
        "head": [
            "/workbench/manage/training/",
            f"/workbench/manage/staff/{officer}/",
            f"/workbench/manage/staff/{officer}/training/new/",
        ],
        "officer": [f"/workbench/manage/staff/{officer}/"],
    }
    problems = []
    for persona, paths in pages.items():
        page = login(browser, live_server, persona, viewport=PHONE)
        for path in paths:
            result = crawl(page, live_server.url, persona, path, within=path, limit=1)
            assert result.visited, path
            problems += result.problems
        page.context.close()
    assert not problems, "\n".join(map(str, problems))
