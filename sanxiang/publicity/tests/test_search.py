"""The search index on its own: newest first, phrases, filters and keyset pages give the same answers however the
database finds them (on PostgreSQL: among the newest rows walked one by one, or through the GIN index)."""

import io

import pytest
from django.core.management import call_command

from sanxiang.publicity import search
from sanxiang.testing.publicity import published, withdraw
from sanxiang.testing.textindex import index_rows

pytestmark = pytest.mark.django_db


def _party(number: int) -> str:
    if number % 5 == 0:
        return "北方化工厂"
    return "北方化工有限公司" if number % 3 == 0 else "龙江热电有限公司"


@pytest.fixture
def indexed():
    """Forty decisions, 2019 up to number 20 and 2026 after; every one holds 工厂 (锅炉工厂) in another field, so
    the parties with 化工 hold both pairs of 化工厂 but only numbers divisible by 5 hold the phrase."""
    for number in range(1, 41):
        year = 2019 if number <= 20 else 2026
        search.INDEX.put(
            [
                search.entry(
                    number,
                    [_party(number), f"哈环罚〔{year}〕{number}号", "锅炉工厂"],
                    search.filters(agency="230100", year=year, kind="penalty"),
                )
            ]
        )


def _ids(text: str, *, before: int | None = None, limit: int = 5, **filters) -> list[int]:
    return search.search(search.query(text, search.filters(**filters)), before=before, limit=limit)


@pytest.mark.parametrize("recent", [1000, 5, 1])
def test_search_gives_the_newest_matches_first_however_few_of_them_are_recent(indexed, monkeypatch, recent):
    monkeypatch.setattr(search.INDEX, "recent", recent)
    assert _ids("化工厂") == [40, 35, 30, 25, 20]
    assert _ids("化工厂", before=30) == [25, 20, 15, 10, 5]
    assert _ids("化工", year=2019) == [20, 18, 15, 12, 10]
    assert _ids("热电", limit=3) == [38, 37, 34]
    assert _ids("炉") == [40, 39, 38, 37, 36]
    assert _ids("", year=2026, kind="penalty", limit=2) == [40, 39]
    assert _ids("哈环罚〔2019〕") == [20, 19, 18, 17, 16]
    assert _ids("核电站") == []
    assert _ids("化工厂", year=2019, before=5) == []


def test_reindex_gives_what_publishing_and_withdrawing_kept(world):
    """The index holds the published records only: a withdrawn one leaves it, and `sanxiang reindex` makes the
    same rows again from the table."""
    kept, gone = published(world), published(world)
    withdraw(world, gone)

    before = index_rows(search.INDEX)
    assert [row[0] for row in before] == [kept.pk]
    call_command("reindex", "publicity_search", stdout=io.StringIO())
    assert index_rows(search.INDEX) == before
