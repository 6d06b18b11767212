"""The workbench home is each user's own: what is due for them (with who handles each case), the clerk's drafts to
publish, and the cases they investigate."""

import ast
import datetime as dt
import inspect

from django.urls import reverse

from sanxiang.cases import deadlines
from sanxiang.testing.cases import FILED, at, open_case, walk
from sanxiang.testing.measures import SEIZED, record, seizure
from sanxiang.testing.publicity import decided


def test_an_officer_sees_the_cases_he_investigates_and_not_the_others(client, world):
    mine = walk(world, open_case(world, title="某热电公司超标排放案"), "filed")
    other = open_case(world, title="某洗车店污水直排线索")
    client.force_login(world.people.officer)
    with at(FILED):
        page = client.get(reverse("web:home")).content.decode()
    assert "我承办的案件" in page and mine.title in page and other.title not in page
    client.force_login(world.people.clerk)
    with at(FILED):
        assert "我承办的案件" not in client.get(reverse("web:home")).content.decode()


def test_the_head_sees_who_handles_each_due_case(client, world):
    walk(world, open_case(world), "filed")
    client.force_login(world.people.head)
    with at(FILED + dt.timedelta(days=80)):
        page = client.get(reverse("web:home")).content.decode()
    assert "<th>承办人</th>" in page and "<td>李明、张丽华</td>" in page


def test_the_clerk_sees_a_draft_past_its_publication_date(client, world):
    publication = decided(world)
    client.force_login(world.people.clerk)
    with at(publication.due_on + dt.timedelta(days=3)):
        page = client.get(reverse("web:home")).content.decode()
    assert publication.number in page and reverse("publicity:publication", args=[publication.pk]) in page
    assert "已过期" in page
    client.force_login(world.people.reviewer)  # not the reviewer's to publish
    with at(publication.due_on + dt.timedelta(days=3)):
        assert publication.number not in client.get(reverse("web:home")).content.decode()


def test_a_seizure_ending_soon_is_named_on_the_home_page_not_by_its_code(client, world):
    case = walk(world, open_case(world), "filed")
    with at(SEIZED):
        record(world, case)
    ends_on = seizure(world, case).ends_on
    client.force_login(world.people.head)
    with at(ends_on - dt.timedelta(days=2)):
        page = client.get(reverse("web:home")).content.decode()
    assert "<td>查封、扣押期限届满</td>" in page and ">seizure<" not in page


def test_every_kind_of_case_deadline_has_a_name():
    """Each kind `next_due` can store on a case, read from the source, has a name for the workbench."""
    source = ast.parse(inspect.getsource(deadlines))
    kinds = {
        node.args[0].value
        for node in ast.walk(source)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in {"Due", "due", "Window"}
        and isinstance(node.args[0], ast.Constant)
    }
    assert {"filing", "seizure", "approval", "statement", "hearing"} <= kinds
    assert kinds <= set(deadlines.DUE_KINDS)
