"""The portal side of publicity: search, the decision page, corrections, withdrawals and expiry as the public sees
them, counts with their zeros, the feed — and a crawl of everything an anonymous visitor can reach."""

import datetime as dt
import re
from urllib.parse import urljoin, urlsplit

from sanxiang.publicity import selectors, services
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at, make_party, open_case, walk
from sanxiang.testing.office import needs_libreoffice
from sanxiang.testing.publicity import REVIEW_REVOKED, decided, publish, published, withdraw

WITNESS_ID = "230102198001011236"  # a valid resident ID number (check character 6)
WITNESS_PHONE = "13904511234"


def _correct(world, publication, original, reason="补充证人证言"):
    with at(DECIDED + dt.timedelta(days=1)):
        services.publication_correct(
            actor=world.people.clerk, publication=publication, original=original, reason=reason
        )
        return publish(world, Publication.objects.get(pk=publication.pk))


def test_search_finds_two_character_and_one_character_queries_and_applies_filters(client, world):
    publication = published(world)
    other = published(world, title="未批先建案")
    page = client.get("/decisions/", {"q": "化工"}).content.decode()
    assert publication.number in page and other.number in page
    page = client.get("/decisions/", {"q": "滨"}).content.decode()  # one character: 哈尔滨
    assert publication.number in page
    assert "没有找到" in client.get("/decisions/", {"q": "化工", "year": "2025"}).content.decode()
    page = client.get("/decisions/", {"q": "化工", "agency": world.qiqihar.code}).content.decode()
    assert publication.number not in page
    page = client.get("/decisions/", {"party": publication.party_name}).content.decode()
    assert publication.number in page and other.number not in page
    assert publication.number in client.get("/decisions/", {"kind": "penalty"}).content.decode()


def test_a_draft_is_found_nowhere_on_the_portal(client, world):
    draft = decided(world)
    assert client.get(f"/decisions/{draft.pk}/").status_code == 404
    assert client.get(f"/decisions/{draft.pk}/v1.txt").status_code == 404
    assert draft.number not in client.get("/decisions/", {"q": "化工"}).content.decode()


def test_the_decision_page_shows_the_summary_the_masked_text_and_its_proof(client, world):
    publication = published(world)
    original = publication.versions.get().original + f"\n证人王小明，男，身份证号{WITNESS_ID}，电话{WITNESS_PHONE}。"
    _correct(world, publication, original)
    page = client.get(f"/decisions/{publication.pk}/").content.decode()
    assert "罚款金额（万元）" in page and "15.000000" in page and "行政处罚决定书文号" in page
    assert WITNESS_ID not in page and WITNESS_PHONE not in page and "王小明" not in page and "王某" in page
    assert "补充证人证言" in page and "第1版" in page and "第2版" in page
    old = client.get(f"/decisions/{publication.pk}/v1/").content.decode()
    assert "该版本已被更正" in old
    version = publication.versions.get(number=2)
    assert client.get(f"/decisions/{publication.pk}/v2.txt").content.decode() == version.public_text
    entry = client.get(f"/decisions/{publication.pk}/v2/entry.json").json()
    assert entry["data"]["sha256"] == version.public_sha256 and entry["index"] == version.ledger_index


def test_a_withdrawn_decision_leaves_a_notice_of_why_and_nothing_else(client, world):
    publication = published(world)
    withdraw(world, publication)
    page = client.get(f"/decisions/{publication.pk}/").content.decode()
    assert "撤回公告" in page and REVIEW_REVOKED in page
    assert publication.party_name not in page and "违法事实" not in page
    assert client.get(f"/decisions/{publication.pk}/v1.txt").status_code == 404
    assert publication.number in client.get("/withdrawals/").content.decode()
    feed = client.get("/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "撤回：" + publication.number in feed.content.decode()


def test_an_expired_decision_is_gone_from_the_portal(client, world):
    publication = published(world)
    with at(dt.date(2027, 10, 13)):
        services.publications_expire(today=dt.date(2027, 10, 13))
    assert client.get(f"/decisions/{publication.pk}/").status_code == 404
    assert publication.number not in client.get("/decisions/", {"q": "化工"}).content.decode()
    assert publication.number not in client.get("/feed.atom").content.decode()


def test_monthly_counts_show_zeros_and_missing_decisions_apart(client, world):
    published(world)
    decided(world)
    with at(dt.date(2026, 11, 2)):
        page = client.get("/statistics/", {"year": "2026"}).content.decode()
    harbin = page[page.index("每月公示数量") :]
    row = harbin[harbin.index(world.harbin.name) :].split("</tr>")[0]
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[0] == "0 / 0" and len(cells) == 11  # January to November
    assert cells[9].startswith("1 / ") and 'badge bad">1<' in cells[9]  # October: one published, one missing
    assert "50%" in page


@needs_libreoffice
def test_the_pdf_of_a_published_version_is_rendered_once(client, world):
    publication = published(world)
    response = client.get(f"/decisions/{publication.pk}/v1.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    digest = publication.versions.get().pdf_sha256
    assert digest and client.get(f"/decisions/{publication.pk}/v1.pdf").content == response.content


SKIP = ("/workbench/", "/django-admin/", "/static/", "/i18n/", "/api/v1/docs", "/api/v1/schema")


def _crawl(client, start="/", limit=400) -> dict[str, str]:
    """Every page reachable from `start` by following links on the same site, as an anonymous visitor."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 400, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        pages[url] = text
        if "html" not in response.get("Content-Type", "") and "xml" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'(?:href|src|data-[a-z]+)="([^"#]+)"', text):
            parts = urlsplit(urljoin(url, link.replace("&amp;", "&")))
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            # PDFs are renderings of a public text the crawl reads as text (and take LibreOffice seconds each)
            if not target.startswith(SKIP) and not parts.path.endswith(".pdf") and target not in seen:
                queue.append(target)
    return pages


def test_an_anonymous_crawl_of_the_whole_portal_finds_nothing_unpublished_or_internal(client, world):
    shown = published(world)
    original = shown.versions.get().original + f"\n证人王小明，男，身份证号{WITNESS_ID}，电话{WITNESS_PHONE}。"
    _correct(world, shown, original)
    draft = decided(world)
    minor = make_party(
        world.harbin, kind="natural_person", uscc="", name="钱小宝", legal_representative="", is_minor=True
    )
    walk(world, open_case(world, party=minor), "decided", kinds=("warning",), fine=None)
    withdrawn = published(world)
    with at(dt.date(2026, 12, 3)):
        services.publication_withdraw(
            actor=world.people.clerk, publication=withdrawn, reason="复议撤销", changed_on=dt.date(2026, 12, 1)
        )
    expired = published(world)
    Publication.objects.filter(pk=expired.pk).update(display_until=dt.date(2026, 12, 31))
    with at(dt.date(2027, 1, 2)):
        services.publications_expire(today=dt.date(2027, 1, 2))

    pages = _crawl(client)
    everything = "\n".join(pages.values())
    assert f"/decisions/{shown.pk}/" in pages and f"/decisions/{withdrawn.pk}/" in pages
    assert shown.number in everything and "王某" in everything
    forbidden = {
        "a draft's number": draft.number,
        "a minor's name": "钱小宝",
        "an expired decision": expired.number,
        "a withdrawn party": withdrawn.party_name,
        "an ID number": WITNESS_ID,
        "a phone number": WITNESS_PHONE,
        "a witness": "王小明",
        "a staff account": world.people.clerk.username,
        "a staff name": world.people.head.full_name,
    }
    for what, text in forbidden.items():
        leaks = [url for url, body in pages.items() if text and text in body]
        assert not leaks, f"{what} ({text}) is reachable at {leaks}"


def test_a_decision_past_its_display_period_is_gone_even_before_the_nightly_job_runs(client, world):
    publication = published(world)
    Publication.objects.filter(pk=publication.pk).update(display_until=dt.date(2026, 11, 1))
    with at(dt.date(2026, 11, 2)):
        assert client.get(f"/decisions/{publication.pk}/").status_code == 404
        assert publication.number not in client.get("/decisions/", {"q": "化工"}).content.decode()
        assert publication.number not in client.get("/feed.atom").content.decode()
        assert publication.number not in b"".join(
            client.get("/opendata/download", {"kind": "penalty", "format": "csv"}).streaming_content
        ).decode("utf-8-sig")
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.PUBLISHED  # the job has not run


def test_a_pdf_being_rendered_by_another_request_answers_retry_later(client, world):
    from django.core.cache import cache

    publication = published(world)
    version = publication.versions.get()
    cache.add(f"publicity:pdf:{version.pk}", 1, timeout=60)
    try:
        response = client.get(f"/decisions/{publication.pk}/v1.pdf")
    finally:
        cache.delete(f"publicity:pdf:{version.pk}")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "PDF 正在生成" in response.content.decode()


def test_the_party_filter_matches_the_partys_name_only_and_pages_through_all_of_them(client, world):
    from sanxiang.publicity.services.lifecycle import index_publication

    wang = [published(world, party=make_party(world.harbin, name=f"哈尔滨王氏化工有限公司{n}")) for n in range(3)]
    for _ in range(7):  # newer decisions that mention 王氏 elsewhere than in the party's name
        publication = published(world)
        publication.summary = {**publication.summary, "违法事实": "经查，当事人使用王氏工艺……"}
        index_publication(publication)
    found = [row.pk for row in selectors.public_search(party="王氏", limit=2)]
    assert found == [wang[2].pk, wang[1].pk]
    assert [row.pk for row in selectors.public_search(party="王氏", limit=2, before=found[-1])] == [wang[0].pk]
    assert len(selectors.public_search(text="王氏")) == 10
    assert len(selectors.public_search(party="王")) == 3 and not selectors.public_search(party="赵钱孙")


def test_agencies_with_nothing_to_count_are_named_under_the_tables_not_given_rows_of_zeros(client, world):
    published(world)
    with at(dt.date(2026, 11, 2)):
        page = client.get("/statistics/", {"year": "2026"}).content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td>", page)
    assert world.harbin.name in rows and world.qiqihar.name not in rows
    assert page.count("另有 2 个机关本年没有应公示的决定") == 2  # 齐齐哈尔 and the province's own desk
    assert world.qiqihar.name in page
