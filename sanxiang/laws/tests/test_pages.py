"""The library's pages: the workbench's for staff (every persona), the portal's for anyone, the rules list with its
flag, the import page of the province's administrators."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanxiang.laws.models import Article
from sanxiang.testing.laws import as_docx, make_instrument

PERSONAS = ["officer", "reviewer", "head", "clerk", "admin", "outsider", "province_admin"]


def _article(number: int) -> Article:
    return Article.objects.get(
        instrument__title="中华人民共和国行政处罚法", instrument__version_label="2021年修订", number=number
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_member_of_staff_reads_the_library_on_the_workbench(client, world, persona):
    client.force_login(getattr(world.people, persona))
    article = _article(51)
    index = client.get(reverse("laws:index"), {"q": "行政处罚法第五十一条"}).content.decode()
    assert f'href="{reverse("laws:article", args=[article.pk])}"' in index
    assert ("导入官方文本" in index) is (persona == "province_admin")
    law = client.get(reverse("laws:instrument", args=[article.instrument_id])).content.decode()
    assert "2017年修正" in law and "2021-07-15" in law and "https://flk.npc.gov.cn/" in law
    page = client.get(reverse("laws:article", args=[article.pk])).content.decode()
    assert article.paraphrase in page and "simple.citizen_max_fine" in page


def test_the_library_is_closed_to_the_anonymous_on_the_workbench(client, db):
    assert client.get(reverse("laws:index")).status_code == 302


def test_anyone_reads_the_same_pages_on_the_portal_and_stays_there(client, db):
    article = _article(63)
    index = client.get(reverse("public-laws:index"), {"q": "听证"}).content.decode()
    assert f'href="/laws/articles/{article.pk}/"' in index
    law = client.get(reverse("public-laws:instrument", args=[article.instrument_id])).content.decode()
    assert f'href="/laws/articles/{article.pk}/"' in law and "/workbench/" not in law.split("<footer>")[0]
    page = client.get(reverse("public-laws:article", args=[article.pk]))
    assert page.status_code == 200 and article.paraphrase in page.content.decode()


def test_a_missing_version_or_article_is_not_found(client, db):
    assert client.get(reverse("public-laws:instrument", args=[999999])).status_code == 404
    assert client.get(reverse("public-laws:article", args=[999999])).status_code == 404


def test_the_search_filters_by_status_and_reads_a_bad_date_as_no_filter(client, db):
    repealed = client.get(reverse("public-laws:index"), {"status": "repealed"}).content.decode()
    assert "1996年" in repealed and "2021年修订" not in repealed
    broken = client.get(reverse("public-laws:index"), {"on": "2021-02-30", "q": "行政处罚法"})
    assert broken.status_code == 200 and "2021年修订" in broken.content.decode()


def test_an_article_of_a_repealed_version_says_so(client, db):
    article = Article.objects.get(instrument__title="环境行政处罚办法", number=70)
    page = client.get(reverse("public-laws:article", args=[article.pk])).content.decode()
    assert "已失效" in page and "2023-06-30" in page and "本平台尚未导入官方文本" in page


def test_an_imported_official_text_is_shown_with_its_source(client, db):
    instrument = make_instrument()
    article = Article.objects.create(
        instrument=instrument,
        number=1,
        official_text="为了检验导入程序，制定本法。",
        text_source="样例法.docx",
        text_sha256="a" * 64,
        text_imported_at=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC),
    )
    page = client.get(reverse("public-laws:article", args=[article.pk])).content.decode()
    assert "为了检验导入程序，制定本法。" in page and "样例法.docx" in page


def test_the_rules_list_flags_a_rule_citing_a_repealed_version_on_the_day_asked(client, world):
    client.force_login(world.people.officer)
    today = client.get(reverse("laws:rules")).content.decode().split("<tbody>")[1]
    flagged = [line for line in today.split("<tr>") if "所引条款已失效" in line]
    assert len(flagged) == 1 and "hearing.large_fine_citizen" in flagged[0]
    before = client.get(reverse("laws:rules"), {"on": "2020-01-01"}).content.decode().split("<tbody>")[1]
    assert "所引条款已失效" not in before and "所引条款尚未施行" in before  # the credit rule of 2026


def test_the_rules_list_shows_the_agencys_own_value_and_its_unknown_citation(client, world):
    from sanxiang.agencies.services import rule_set

    rule_set(
        actor=world.people.admin,
        key="hearing.large_fine_organisation",
        agency=world.harbin,
        value=100000,
        citation="《哈尔滨市生态环境行政处罚听证规定》第五条",
    )
    client.force_login(world.people.officer)
    page = client.get(reverse("laws:rules")).content.decode()
    row = next(line for line in page.split("<tr>") if "hearing.large_fine_organisation" in line)
    assert "100,000 元" in row and "法规库未收录" in row


def test_the_workbench_page_imports_for_the_provinces_administrator_and_lists_problems(client, world):
    instrument = make_instrument()
    client.force_login(world.people.province_admin)
    refused = client.post(
        reverse("laws:import"),
        {"instrument": instrument.pk, "file": SimpleUploadedFile("坏文件.txt", "没有条文".encode())},
    )
    assert refused.status_code == 400 and "文件中没有找到条文" in refused.content.decode()
    done = client.post(
        reverse("laws:import"), {"instrument": instrument.pk, "file": SimpleUploadedFile("样例法.docx", as_docx())}
    )
    assert done.status_code == 302 and done["Location"] == reverse("laws:instrument", args=[instrument.pk])
    assert instrument.articles.exclude(official_text="").count() == 3
    history = client.get(reverse("audit:history", args=["laws.instrument", instrument.pk])).content.decode()
    assert "导入法律法规官方文本" in history


def test_the_import_page_refuses_a_file_too_large_before_reading_it(client, world, monkeypatch):
    monkeypatch.setattr("sanxiang.laws.texts.MAX_BYTES", 10)
    client.force_login(world.people.province_admin)
    response = client.post(reverse("laws:import"), {"file": SimpleUploadedFile("样例法.txt", b"x" * 11)})
    assert response.status_code == 200 and "文件超过 5 MB" in response.content.decode()


@pytest.mark.parametrize("persona", ["admin", "officer", "head"])
def test_the_import_page_is_closed_to_everybody_else(client, world, persona):
    client.force_login(getattr(world.people, persona))
    assert client.get(reverse("laws:import")).status_code == 403
