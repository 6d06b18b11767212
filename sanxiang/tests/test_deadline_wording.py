"""Every deadline a template shows goes through the deadline filters of core.wording, so the party and the officer
read everywhere whether the last day itself is included (（含当日）)."""

import re
from pathlib import Path

import sanxiang

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
