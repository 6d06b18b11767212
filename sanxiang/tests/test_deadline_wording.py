"""Every deadline a template shows goes through the deadline filters of core.wording, so the party and the officer
read everywhere whether the last day itself is included (（含当日）)."""

import datetime as dt
import re
from pathlib import Path

from django.urls import reverse

import sanxiang
from sanxiang.testing.cases import DECIDED, NOTIFIED, STATEMENT_DUE, at, open_case, walk
from sanxiang.testing.publicity import published
from sanxiang.web.models import Notification
from sanxiang.web.services import notifications_send_due

ROOT = Path(sanxiang.__file__).resolve().parent
# The names our models and selectors give to the last day of a period.
DEADLINE = re.compile(r"(?:^|\.)(?:\w*due_on|due\.date|due_date|\w*_until|ends_on|correct_by|decide_by|expires_on)$")
# A value shown in a template: `{{ value|filters }}` or a `with name=value|filters` of blocktranslate.
SHOWN = re.compile(r"(?:\{\{\s*|\bwith\s+(?:\w+=[^\s%]+\s+)*\w+=)([\w.]+)((?:\|[\w]+(?::(?:\"[^\"]*\"|[\w.]+))?)*)")
FILTERS = {"|deadline", "|last_day"}


def shown_deadlines(text: str):
    for match in SHOWN.finditer(text):
        value, filters = match.groups()
        if DEADLINE.search(value):
            yield value, filters


def test_the_scan_finds_a_deadline_shown_without_the_wording():
    found = list(shown_deadlines('{{ case.next_due_on|date:"Y-m-d" }} {% blocktranslate with d=due.date %}'))
    assert found == [("case.next_due_on", '|date:"Y-m-d"'), ("due.date", "")]
    assert list(shown_deadlines("{{ publication.display_until|last_day }}")) == [
        ("publication.display_until", "|last_day")
    ]


def test_every_deadline_a_template_shows_says_whether_its_last_day_is_included():
    bare = [
        f"{path.relative_to(ROOT)}: {value}{filters}"
        for path in ROOT.rglob("*.html")
        if "templates" in path.parts
        for value, filters in shown_deadlines(path.read_text(encoding="utf-8"))
        if not any(name in filters for name in FILTERS)
    ]
    assert not bare, "deadlines shown without core.wording's filters:\n" + "\n".join(bare)


# The wording where people meet it: the case page and list, the publicity desk, the portal, the bell.


def test_the_case_page_and_list_say_the_last_day_is_included(client, world):
    case = walk(world, open_case(world), "notified")
    client.force_login(world.people.officer)
    with at(NOTIFIED):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        listing = client.get(reverse("cases:case-list")).content.decode()
    assert f"陈述、申辩期限届满：{STATEMENT_DUE}（含当日）前" in page
    assert f"{STATEMENT_DUE}（含当日）" in listing


def test_the_publicity_desk_the_publication_and_the_portal_say_the_last_day_is_included(client, world):
    publication = published(world)
    client.force_login(world.people.clerk)
    with at(DECIDED):
        desk = client.get(reverse("publicity:desk")).content.decode()
        detail = client.get(reverse("publicity:publication", args=[publication.pk])).content.decode()
    assert (
        f"{publication.due_on.isoformat()}（含当日）" in desk
        and f"{publication.due_on.isoformat()}（含当日）" in detail
    )
    client.logout()
    portal = client.get(reverse("public:decision", args=[publication.pk])).content.decode()
    assert f"公示截止 {publication.display_until.isoformat()}（含当日）" in portal


def test_a_notification_of_a_deadline_says_the_last_day_is_included(world):
    walk(world, open_case(world), "notified")
    day_before = STATEMENT_DUE - dt.timedelta(days=1)
    with at(day_before):
        notifications_send_due(today=day_before)
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles and all(f"{STATEMENT_DUE}（含当日）前" in title for title in titles)
