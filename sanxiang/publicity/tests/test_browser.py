"""The public's side in a real browser: searching, reading a decision and checking its proof in the page; the on-time
rates on a phone."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_create
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import at
from sanxiang.testing.publicity import published

pytestmark = pytest.mark.browser


def _anonymous(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone


def test_a_visitor_finds_a_decision_reads_it_and_verifies_it_in_the_browser(live_data, browser, live_server, world):
    publication = published(world)
    checkpoint_create()
    later = published(world)  # published after the last checkpoint: not yet provable
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/decisions/")
    page.fill('input[name="q"]', "化工")
    page.select_option('select[name="agency"]', world.harbin.code)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("li.result").count() == 2
    page.click(f'a[href="/decisions/{publication.pk}/"]')
    page.wait_for_url(f"{live_server.url}/decisions/{publication.pk}/")
    assert page.locator("h1").inner_text() == publication.title
    assert "罚款金额（万元）" in page.locator("dl.facts").first.inner_text()
    page.click(f'a[href="/decisions/{publication.pk}/v1/verify"]')
    page.wait_for_selector("#verify-result[data-result]")
    assert page.locator("#verify-result").get_attribute("data-result") == "ok", page.locator(
        "#verify-result"
    ).inner_text()
    assert page.locator("#verify li[data-result=ok]").count() == 4
    assert page.locator("[data-key-id]").inner_text().startswith(settings.LEDGER_ORIGIN + "+")
    entry_time = timezone.localtime(Entry.objects.get(index=publication.versions.get(number=1).ledger_index).time)
    assert f"{entry_time:%Y/%m/%d %H:%M}" in page.locator("#verify li[data-step=entry]").inner_text()  # Beijing

    page.goto(f"{live_server.url}/decisions/{later.pk}/v1/verify")
    page.wait_for_selector("#verify-result.warn")
    assert "尚未纳入最新的签名检查点" in page.locator("#verify-result").inner_text()
    assert page.locator("#verify li[data-step=signature]").get_attribute("data-result") == "ok"


def test_the_on_time_rates_by_kind_fit_a_phone_on_the_portal_and_the_desk(live_data, browser, live_server, world):
    from sanxiang.testing.browser import login
    from sanxiang.testing.crawl import check_page
    from sanxiang.testing.licensing import granted, make_type
    from sanxiang.testing.publicity import publish

    licence = granted(world, make_type(world.harbin), accepted_on=dt.date(2026, 9, 28), granted_on=dt.date(2026, 9, 30))
    with at(dt.date(2026, 10, 15)):
        publish(world, Publication.objects.get(licence=licence))
    phone = {"width": 390, "height": 844}
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/statistics/?year=2026")
    assert check_page(page, 390) == []
    assert "100%（1 / 1）" in page.locator("main").inner_text()
    desk = login(browser, live_server, "clerk", viewport=phone)
    desk.goto(f"{live_server.url}/workbench/publicity/?year=2026")
    assert check_page(desk, 390) == []
    assert "行政许可按时率" in desk.locator("main").inner_text()


def test_a_text_altered_after_publication_fails_the_check_naming_both_fingerprints(
    live_data, browser, live_server, world
):
    """Issue 20: a failed step says what differs and shows both values, never its own label (which states what
    should hold)."""
    import hashlib

    from sanxiang.publicity.models import PublicationVersion

    publication = published(world)
    checkpoint_create()
    version = PublicationVersion.objects.get(publication=publication, number=1)
    recorded = version.public_sha256
    altered = version.public_text.replace("罚款", "警告", 1)
    assert altered != version.public_text
    PublicationVersion.objects.filter(pk=version.pk).update(public_text=altered)  # behind the services' back
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
    page.wait_for_selector("#verify-result[data-result]")
    verdict = page.locator("#verify-result").inner_text()
    assert page.locator("#verify-result").get_attribute("data-result") == "bad", verdict
    assert verdict.startswith("核验未通过：") and "二者不一致" in verdict
    assert hashlib.sha256(altered.encode()).hexdigest() in verdict and recorded in verdict
    assert "账本条目记载的数字指纹与公开文本一致" not in verdict
    assert page.locator("#verify li[data-step=entry]").get_attribute("data-result") == "bad"
    assert page.locator("#verify li[data-result]").count() == 2  # the text was hashed; nothing after the failure ran


def test_the_verifier_requires_the_witness_quorum(live_data, browser, live_server, world, settings, tmp_path):
    """With two witnesses and a quorum of two, a checkpoint cosigned by one reads as not yet verified (a warning,
    not a failure); once the second has cosigned, the page verifies all five steps."""
    import socket

    from sanxiang.ledger.services import ledger_signer
    from sanxiang.ledger.witnessing import checkpoint_witness
    from sanxiang.testing.witnesses import served_witness

    publication = published(world)
    checkpoint_create()
    log_key = str(ledger_signer().verifier)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    with (
        served_witness(tmp_path / "w1", name="w1.example.cn", log_key=log_key) as (url1, w1),
        served_witness(tmp_path / "w2", name="w2.example.cn", log_key=log_key) as (url2, w2),
    ):
        down = f"http://127.0.0.1:{closed.getsockname()[1]}"
        settings.LEDGER_WITNESSES = [(url1, str(w1.cosigner.key)), (down, str(w2.cosigner.key))]
        settings.LEDGER_WITNESS_QUORUM = 2
        assert checkpoint_witness() == {"w1.example.cn": "cosigned", "w2.example.cn": "down"}
        page = _anonymous(browser)
        page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
        page.wait_for_selector("#verify-result[data-result]")
        assert page.locator("#verify-result").get_attribute("data-result") == "warn"
        assert "见证联署尚未达到要求" in page.locator("#verify-result").inner_text()
        step = page.locator("#verify li[data-step=witnesses]")
        assert step.get_attribute("data-result") == "warn" and "2 个见证方中 1 个联署，要求 2 个" in step.inner_text()

        settings.LEDGER_WITNESSES = [(url1, str(w1.cosigner.key)), (url2, str(w2.cosigner.key))]
        assert checkpoint_witness()["w2.example.cn"] == "cosigned"
        page.reload()
        page.wait_for_selector("#verify-result[data-result]")
        assert page.locator("#verify-result").get_attribute("data-result") == "ok"
        assert page.locator("#verify li[data-result=ok]").count() == 5
    closed.close()


def test_the_proof_comes_from_tiles_of_two_levels_and_a_changed_tile_fails_it(live_data, browser, live_server, world):
    """A log of more than 256 entries: the page reads full and partial tiles of levels 0 and 1 and nothing else
    (no proof API); a stored hash changed behind the log's back makes the root differ, and the page shows both."""
    from django.db import transaction

    from sanxiang.ledger import merkle
    from sanxiang.ledger.models import Node
    from sanxiang.ledger.services import ledger_append

    def filler(count):
        with transaction.atomic():
            for n in range(count):
                ledger_append(actor=None, agency="", action="test.event", subject=("test", str(n)))

    filler(300)
    publication = published(world)
    filler(400)
    checkpoint = checkpoint_create()
    assert checkpoint.size > 512
    page = _anonymous(browser)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
    page.wait_for_selector("#verify-result[data-result]")
    assert page.locator("#verify-result").get_attribute("data-result") == "ok", page.locator(
        "#verify-result"
    ).inner_text()
    tiles = [url.split("/ledger/tile/")[1] for url in fetched if "/ledger/tile/" in url]
    assert {path.split("/")[0] for path in tiles} == {"0", "1"} and any(".p/" in path for path in tiles)
    assert not [url for url in fetched if "/ledger/proof/" in url]
    assert "个账本瓦片算出的证明路径" in page.locator("#verify li[data-step=proof]").inner_text()

    version_index = publication.versions.get(number=1).ledger_index
    sibling = version_index ^ 1  # the leaf beside the entry: its hash is in the entry's proof
    Node.objects.filter(position=merkle.position(0, sibling)).update(hash=bytes(32))
    cache.clear()  # tiles once served are kept for good; a changed node reaches a new reader after a restart
    page = _anonymous(browser)  # a new reader: the first one's browser keeps the tiles it read (they are immutable)
    page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
    page.wait_for_selector("#verify-result[data-result]")
    step = page.locator("#verify li[data-step=proof]")
    assert step.get_attribute("data-result") == "bad"
    assert "由条目和包含证明算出的根哈希是" in step.inner_text() and checkpoint.root.hex() in step.inner_text()


@pytest.fixture
def gm_mode(settings, tmp_path):
    """A log created in 国密 mode: asked for before the world, whose making appends the first entries."""
    from sanxiang.testing.ledger import gm_log

    with gm_log(settings, tmp_path / "sm2.key"):
        yield


def test_a_decision_of_a_log_in_gm_mode_verifies_with_sm3_and_sm2_in_the_browser(
    gm_mode, live_data, browser, live_server, world
):
    """国密 mode: the page hashes the tree with SM3 and checks the checkpoint's SM2 signature (sm-crypto, served by
    the app); a changed stored hash still fails with both roots shown."""
    from sanxiang.ledger import merkle
    from sanxiang.ledger.models import Node

    publication = published(world)
    published(world)  # entries after it: its leaf has a sibling to change below
    checkpoint = checkpoint_create()
    assert (checkpoint.hash_algorithm, checkpoint.signature_algorithm) == ("sm3", "sm2")
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
    page.wait_for_selector("#verify-result[data-result]")
    assert page.locator("#verify-result").get_attribute("data-result") == "ok", page.locator(
        "#verify-result"
    ).inner_text()
    assert page.locator("#verify li[data-result=ok]").count() == 4
    assert "SM2" in page.locator("#verify li[data-step=signature]").inner_text()
    assert "SM3 哈希值" in page.locator("#verify li[data-step=proof]").inner_text()  # the page names the tree's hash

    index = publication.versions.get(number=1).ledger_index
    Node.objects.filter(position=merkle.position(0, index ^ 1)).update(hash=bytes(32))
    cache.clear()  # tiles once served are kept for good; a changed node reaches a new reader after a restart
    page = _anonymous(browser)  # a new reader: the first one's browser keeps the tiles it read (they are immutable)
    page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
    page.wait_for_selector("#verify-result[data-result]")
    step = page.locator("#verify li[data-step=proof]")
    assert step.get_attribute("data-result") == "bad" and checkpoint.root.hex() in step.inner_text()
