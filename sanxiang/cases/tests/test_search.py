"""Staff search by index (cases/search.py, core/textindex.py): cases by a word of their number, title or party's
name, parties by name, credit code or permit number; only what the user may see; kept by every write that changes
what is indexed, and equal to a rebuild from the tables."""

import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.cases import search, selectors, services
from sanxiang.cases.models import Case, Party, Stage
from sanxiang.cases.services.directory import COLUMNS
from sanxiang.demo.codes import demo_uscc
from sanxiang.testing.cases import make_party, open_case, walk
from sanxiang.testing.factories import make_staff
from sanxiang.testing.opendata import csv_file
from sanxiang.testing.textindex import index_rows


def _cases(user, text: str) -> list[int]:
    return list(selectors.cases_for_user(user, search=text).values_list("pk", flat=True))


def _parties(user, text: str) -> set[int]:
    return set(selectors.parties_for_user(user, search=text).values_list("pk", flat=True))


def test_a_case_is_found_by_a_word_of_its_title_its_party_and_its_number(world):
    party = make_party(world.harbin, name="哈尔滨市松北区北方精细化工有限公司")
    case = open_case(world, party=party, title="未批先建锅炉房案")
    other = open_case(world, title="施工扬尘污染案")
    head = world.people.head
    assert _cases(head, "锅炉") == [case.pk]
    assert _cases(head, "北方精细化工") == [case.pk]
    assert _cases(head, "炉房未") == []  # the words in order, as typed
    assert _cases(head, "案") == [other.pk, case.pk]  # one character, newest first
    assert _cases(head, "扬尘 施工") == [other.pk]  # every word, anywhere
    assert _cases(head, "——") == []  # nothing searchable in it
    case = walk(world, case, "filed")  # the number comes with the filing
    year, serial = re.findall(r"\d+", case.number)
    assert _cases(head, serial) == [case.pk]
    assert _cases(head, case.number) == [case.pk]
    assert case.pk in _cases(head, year)


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("county_officer", {"daoli"}),
        ("officer", {"harbin", "daoli"}),
        ("outsider", {"qiqihar"}),
        ("province_admin", {"harbin", "daoli", "qiqihar"}),
    ],
)
def test_a_search_finds_only_the_cases_and_parties_the_user_may_see(world, persona, sees):
    made = {}
    for name, officer in (("harbin", "officer"), ("daoli", "county_officer"), ("qiqihar", "outsider")):
        agency = getattr(world, name)
        party = make_party(agency, name=f"{agency.name}渗坑排污企业")
        case = open_case(
            world, agency=agency, party=party, title="渗坑排放废水案", actor=getattr(world.people, officer)
        )
        made[name] = (case, party)
    user = getattr(world.people, persona)
    assert set(_cases(user, "渗坑")) == {made[name][0].pk for name in sees}
    assert _parties(user, "渗坑排污") == {made[name][1].pk for name in sees}
    # the same as the scope every other list uses
    assert set(_cases(user, "渗坑")) == set(
        Case.objects.visible_to(user).filter(title__contains="渗坑").values_list("pk", flat=True)
    )


def test_who_sees_no_agency_finds_nothing_and_a_superuser_finds_everything(world, django_user_model):
    case = open_case(world, title="渗坑排放废水案")
    assert _cases(AnonymousUser(), "渗坑") == []
    nobody = django_user_model.objects.create_user(username="platform", password="x")
    assert _cases(nobody, "渗坑") == []
    world.people.officer.is_active = False
    assert _cases(world.people.officer, "渗坑") == []
    root = django_user_model.objects.create_superuser(username="root", password="x")
    assert _cases(root, "渗坑") == [case.pk]


def test_a_corrected_name_is_found_in_the_partys_cases_and_the_old_one_no_longer(world):
    party = make_party(world.harbin, name="哈尔滨市旧名热电有限公司")
    case = open_case(world, party=party)
    services.party_correct(
        actor=world.people.officer, party=party, reason="工商变更登记", name="哈尔滨市新名热电有限公司"
    )
    head = world.people.head
    assert _cases(head, "旧名") == [] and _parties(head, "旧名") == set()
    assert _cases(head, "新名热电") == [case.pk] and _parties(head, "新名热电") == {party.pk}


def test_a_party_is_found_by_its_whole_credit_code_or_permit_number(world):
    code = demo_uscc("91", "230100", 8123)
    party = make_party(world.harbin, uscc=code, permit_number=f"{code}001P")
    head = world.people.head
    assert _parties(head, code) == _parties(head, code.lower()) == _parties(head, f"{code}001P") == {party.pk}
    assert _parties(head, code[:8]) == set()  # letters and digits match whole (the page says so)


def test_imported_parties_are_found_and_an_import_that_renames_one_is_too(world):
    fields = [column.name for column in COLUMNS]
    code = demo_uscc("91", "230102", 7301)
    values = {"统一社会信用代码": code, "类别": "法人", "地址": "哈尔滨市道里区新阳路 1 号", "区划代码": "230102"}

    def imported(name: str) -> None:
        services.parties_import(
            actor=world.people.officer,
            agency=world.harbin,
            source=csv_file(fields, [values | {"名称": name}]),
            file_format="csv",
        )

    imported("哈尔滨市道里区示例热力有限公司")
    party = Party.objects.get(uscc=code)
    case = open_case(world, party=party)
    assert _parties(world.people.head, "示例热力") == {party.pk}
    imported("哈尔滨市道里区松江供热有限公司")  # the same code: a correction of the name
    assert _parties(world.people.head, "示例热力") == set()
    assert _parties(world.people.head, "松江供热") == {party.pk}
    assert _cases(world.people.head, "松江供热") == [case.pk]


def test_what_the_services_keep_in_the_indexes_is_what_a_rebuild_from_the_tables_gives(world):
    party = make_party(world.harbin, name="哈尔滨市呼兰区示例酿酒有限公司")
    walk(world, open_case(world, party=party, title="废水直排案"), "filed")
    open_case(
        world, agency=world.daoli, party=make_party(world.daoli), title="噪声扰民案", actor=world.people.county_officer
    )
    services.party_correct(
        actor=world.people.officer, party=party, reason="更名", name="哈尔滨市呼兰区示例酒业有限公司"
    )
    kept = [index_rows(search.CASES), index_rows(search.PARTIES)]
    assert len(kept[0]) == Case.objects.count() and len(kept[1]) == Party.objects.count()
    call_command("reindex", search.CASES.table, search.PARTIES.table, stdout=io.StringIO())
    assert [index_rows(search.CASES), index_rows(search.PARTIES)] == kept


def test_reindex_names_the_indexes_it_knows_when_asked_for_another(db):
    with pytest.raises(CommandError, match="cases_case_search"):
        call_command("reindex", "cases_search")


def test_case_pages_reach_every_match_however_rare_the_stage_among_them(world):
    party = make_party(world.harbin)
    cases = [open_case(world, party=party, title=f"渗坑排放废水案（{n}）") for n in range(7)]
    filed = walk(world, cases[0], "filed")  # the oldest alone leaves the clue stage
    open_case(world, party=party, title="噪声扰民案")  # newer, not a match
    head = world.people.head

    def walked(**filters) -> tuple[list[int], int]:
        seen, before, pages = [], None, 0
        while True:
            # pages of two: the index gives three matches at a time
            page = selectors.case_page(head, before=before, size=2, **filters)
            assert len(page.rows) <= 2
            seen += [case.pk for case in page.rows]
            pages += 1
            if page.next_before is None:
                return seen, pages
            before = page.next_before

    assert walked(text="渗坑") == ([case.pk for case in reversed(cases)], 4)
    seen, pages = walked(text="渗坑", stage=filed.stage)
    assert seen == [filed.pk] and pages == 3  # two short pages, each below the three matches looked at
    assert walked(text="渗坑", stage=Stage.CLOSED) == ([], 3)


def test_the_case_list_and_the_api_search_through_the_index(client, world):
    case = open_case(world, title="危险废物非法处置案")
    client.force_login(world.people.officer)
    page = client.get(reverse("cases:case-list"), {"q": "危险废物"}).content.decode()
    assert "危险废物非法处置案" in page and "整段数字" in page
    api = APIClient()
    api.force_authenticate(world.people.officer)
    assert [row["id"] for row in api.get("/api/v1/cases/", {"q": "非法处置"}).json()["results"]] == [case.pk]
    too_long = api.get("/api/v1/parties/", {"q": "化" * 101})
    assert too_long.status_code == 400
    assert too_long.json()["error"]["code"] == "validation_error" and "q" in too_long.json()["error"]["fields"]


def test_a_staff_account_made_later_in_a_city_finds_that_citys_cases(world):
    case = open_case(world, title="渗坑排放废水案")
    newcomer = make_staff(agency=world.harbin, roles=["officer"])
    assert _cases(newcomer, "渗坑") == [case.pk]


def test_no_text_puts_a_row_in_another_agencys_scope(world):
    """A scope token is marked so that no title, name or code makes it: Harbin's case titled with Qiqihar's code is
    not among what the index finds for a Qiqihar officer (the lists filter by scope again, but the index's page of
    matches must not fill with rows they drop)."""
    open_case(world, title="S230200 域230200 排污案")
    assert search.found(search.CASES, world.people.outsider, "排污") == []
    assert search.found(search.CASES, world.people.outsider, "230200") == []


def test_indexing_a_row_again_replaces_it(world):
    case = open_case(world, title="渗坑排放废水案")
    search.cases_index(Case.objects.filter(pk=case.pk))
    search.cases_index(Case.objects.filter(pk=case.pk))
    assert [row[0] for row in index_rows(search.CASES)] == [case.pk]


def test_a_bad_page_or_id_in_a_link_is_the_first_page_not_an_error(client, world):
    case = open_case(world, title="渗坑排放废水案")
    client.force_login(world.people.officer)
    for before in ("²", "9" * 30, "-1", "abc"):
        page = client.get(reverse("cases:case-list"), {"q": "渗坑", "before": before})
        assert page.status_code == 200 and f"cases/{case.pk}/" in page.content.decode(), before
    assert client.get(reverse("cases:case-open"), {"inspection": "²"}).status_code == 200
