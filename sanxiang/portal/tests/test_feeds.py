"""The Atom feeds of one enterprise, one agency (with those under it) and one kind of decision: valid Atom 1.0 with
publications, corrections and withdrawals linking to the public decision pages, only what the portal shows, 404
for a code that names nothing — and the links to them on the portal's pages."""

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import quote

from sanxiang.publicity import services
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at, make_party
from sanxiang.testing.publicity import decided, publish, published

ATOM = "{http://www.w3.org/2005/Atom}"
WITNESS_ID = "230102198001011236"
WITNESS_PHONE = "13904511234"


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href").startswith("http://testserver/feed")
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:  # every entry has what Atom requires, and links to the decision's public page
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}title").text and entry.find(f"{ATOM}updated").text
        assert "/decisions/" in entry.find(f"{ATOM}link").get("href")
    return root, response.content.decode()


def _titles(root) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_an_enterprise_feed_has_its_publications_corrections_and_withdrawals_and_nothing_else(client, world):
    party = make_party(world.harbin)
    first = published(world, party=party)
    original = first.versions.get().original + f"\n证人王小明，男，身份证号{WITNESS_ID}，电话{WITNESS_PHONE}。"
    with at(DECIDED + dt.timedelta(days=1)):
        services.publication_correct(
            actor=world.people.clerk, publication=first, original=original, reason="补充证人证言"
        )
        publish(world, Publication.objects.get(pk=first.pk))
    second = published(world, party=party)
    with at(dt.date(2026, 12, 3)):
        services.publication_withdraw(
            actor=world.people.clerk, publication=second, reason="复议撤销", changed_on=dt.date(2026, 12, 1)
        )
    draft = decided(world, party=party)
    other = published(world)
    root, text = _feed(client, f"/feeds/enterprise/{party.uscc}.atom")
    assert party.name in root.find(f"{ATOM}title").text and party.uscc in root.find(f"{ATOM}title").text
    assert root.find(f"{ATOM}id").text.endswith(f"/feeds/enterprise/{party.uscc}.atom")
    titles = _titles(root)
    assert titles[0] == f"撤回：{second.number}"  # newest first; a withdrawn decision without its party
    assert f"更正：{first.number} {party.name}" in titles and f"公示：{first.number} {party.name}" in titles
    assert len(titles) == 4  # the withdrawn decision's own publication entry stays, without its party
    assert draft.number not in text and other.number not in text
    links = {entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")}
    assert links == {f"http://testserver/decisions/{first.pk}/", f"http://testserver/decisions/{second.pk}/"}
    # only what the portal shows: masked personal data stays masked, the original never appears
    assert "补充证人证言" in text
    assert WITNESS_ID not in text and WITNESS_PHONE not in text and "王小明" not in text
    # lower-case input is the same enterprise
    assert len(_titles(_feed(client, f"/feeds/enterprise/{party.uscc.lower()}.atom")[0])) == 4


def test_an_enterprise_without_decisions_yet_has_an_empty_feed_and_a_malformed_code_a_clear_404(client, world):
    party = make_party(world.harbin)
    root, _text = _feed(client, f"/feeds/enterprise/{party.uscc}.atom")
    assert _titles(root) == [] and root.find(f"{ATOM}title").text.endswith(party.uscc)
    wrong = "X" if party.uscc[-1] != "X" else "Y"  # any character but the right one fails the check
    for url in (
        f"/feeds/enterprise/{party.uscc[:-1]}{wrong}.atom",  # wrong check character
        "/feeds/enterprise/12345.atom",
        "/feeds/enterprise/<script>.atom",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "统一社会信用代码" in response.content.decode()
    response = client.get("/feeds/agency/999999.atom")
    assert response.status_code == 404 and "没有这个代码的执法机关" in response.content.decode()
    response = client.get("/feeds/kind/fines.atom")
    assert response.status_code == 404 and "/feeds/kind/penalty.atom" in response.content.decode()


def test_an_agency_feed_covers_the_agencies_under_it_and_a_kind_feed_its_kind(client, world):
    harbin = published(world)
    root, text = _feed(client, f"/feeds/agency/{world.province.code}.atom")
    assert harbin.number in text and "黑龙江省生态环境厅" in root.find(f"{ATOM}title").text
    assert harbin.number in _feed(client, f"/feeds/agency/{world.harbin.code}.atom")[1]
    assert harbin.number not in _feed(client, f"/feeds/agency/{world.qiqihar.code}.atom")[1]
    assert harbin.number not in _feed(client, f"/feeds/agency/{world.daoli.code}.atom")[1]
    assert harbin.number in _feed(client, "/feeds/kind/penalty.atom")[1]
    assert harbin.number in _feed(client, f"/feeds/kind/{quote('行政处罚')}.atom")[1]
    assert harbin.number not in _feed(client, "/feeds/kind/licence.atom")[1]


def test_a_feed_reads_a_bounded_number_of_rows_in_a_few_queries(client, world, django_assert_max_num_queries):
    party = make_party(world.harbin)
    for _ in range(3):
        published(world, party=party)
    with django_assert_max_num_queries(6):
        root, _text = _feed(client, f"/feeds/enterprise/{party.uscc}.atom")
    assert len(_titles(root)) == 3


def test_the_portal_links_to_the_feeds_of_agencies_kinds_and_enterprises(client, world):
    publication = published(world)
    page = client.get(f"/agencies/{world.harbin.code}/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page and f"/feeds/agency/{world.harbin.code}.atom" in page
    assert f"/subscriptions/?topic=agency&amp;target={world.harbin.code}" in page
    page = client.get("/decisions/").content.decode()
    assert "/feeds/kind/penalty.atom" in page and "/feeds/kind/licence.atom" in page and "/feed.atom" in page
    page = client.get(f"/decisions/{publication.pk}/").content.decode()
    assert f"/feeds/enterprise/{publication.party_uscc}.atom" in page
    assert f"/subscriptions/?topic=enterprise&amp;target={publication.party_uscc}" in page
