"""The reference client against a source: every batch verified whole, tampering refused, nothing partial stored."""

import base64
import copy
import hashlib
import json
from concurrent.futures import Future
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from sanxiang.api.models import TokenScope
from sanxiang.api.services import api_token_create
from sanxiang.exchange import client as exchange_client
from sanxiang.exchange.client import pull
from sanxiang.exchange.models import MirrorRecord, MirrorSource
from sanxiang.exchange.selectors import feed_batch
from sanxiang.exchange.services import mirror_batch_store
from sanxiang.exchange.verify import FeedError, InclusionChecker, verify_batch
from sanxiang.ledger import merkle
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_create, ledger_append, ledger_signer
from sanxiang.ledger.signing import Signer
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.ledger import emptied_log, gm_log
from sanxiang.testing.publicity import published

URL = "http://source.example"


class InlineExecutor:
    """Runs the client's prefetch at once in this thread: the test client must see this test's transaction."""

    def __init__(self, max_workers):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, call, *args):
        future = Future()
        try:
            future.set_result(call(*args))
        except Exception as error:  # handed to the caller as the thread pool would
            future.set_exception(error)
        return future


@pytest.fixture
def source(world, client, monkeypatch):
    """The source installation is this one, reached through the test client in place of the network; `tamper`
    changes each feed answer before the client sees it."""
    published(world)
    power = make_power(world.harbin)
    make_item(power)
    checkpoint_create()
    raw = api_token_create(actor=None, user=world.people.partner, name="镜像", scope=TokenScope.PARTNER)[1]
    state = {"tamper": None}

    def get(self, path, params=None, *, auth=True):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if auth else {}
        response = client.get(path + ("?" + urlencode(params) if params else ""), **headers)
        if response.status_code != 200:
            raise FeedError(f"HTTP {response.status_code} {response.content[:300]!r}")
        if path == exchange_client.FEED_PATH and state["tamper"]:
            payload = response.json()
            state["tamper"](payload)
            return json.dumps(payload).encode()
        return response.content

    monkeypatch.setattr(exchange_client.Http, "get", get)
    monkeypatch.setattr(exchange_client, "ThreadPoolExecutor", InlineExecutor)
    monkeypatch.setattr(exchange_client, "AHEAD", 0)  # inline, every batch is fetched before the first is stored
    state["token"] = raw
    return state


def test_the_client_mirrors_every_public_record_verified(source):
    report = pull(url=URL, token=source["token"], limit=3)
    mirror = MirrorSource.objects.get(url=URL)
    expected = feed_batch(since=-1, limit=2000)["entries"]
    assert report.records == len(expected) == MirrorRecord.objects.filter(source=mirror).count() > 3
    assert report.batches > 1 and mirror.next_since == mirror.checkpoint_size - 1
    stored = MirrorRecord.objects.get(source=mirror, kind="publication")
    assert stored.record["event"] == "publish"
    assert bytes(stored.leaf) == bytes(Entry.objects.get(index=stored.index).body)
    assert mirror.verifier_key == str(ledger_signer().verifier)
    pulls = Entry.objects.filter(action="mirror.pull", subject_id=str(mirror.pk))
    assert pulls.count() == report.batches and not pulls.filter(public=True).exists()
    # A second pull finds nothing new; new public entries come with the next checkpoint, consistent with the first.
    assert pull(url=URL, token=source["token"]).records == 0


def test_a_later_pull_takes_only_the_new_records_and_checks_consistency(source, world):
    pull(url=URL, token=source["token"])
    before = MirrorRecord.objects.count()
    make_power(world.harbin)
    checkpoint_create()
    report = pull(url=URL, token=source["token"])
    assert report.records == 1 and MirrorRecord.objects.count() == before + 1


def _first(kind):
    return lambda payload: next(item for item in payload["entries"] if item["record"]["kind"] == kind)


TAMPERING = {
    "a record's text": lambda p: _first("publication")(p)["record"].update(public_text="改动过的公示内容"),
    "a record's code": lambda p: _first("item")(p)["record"].update(code="FAKE-1"),
    "a record's status": lambda p: _first("officer")(p)["record"].update(status="revoked"),
    "a record's ledger time": lambda p: p["entries"][-1]["record"]["ledger"].update(time="2020-01-01T00:00:00Z"),
    "a proof hash": lambda p: p["batch_proof"].__setitem__(0, "00" * 32),
    "a proof cut short": lambda p: p["batch_proof"].pop(),
    "the last proof hash": lambda p: p["batch_proof"].__setitem__(-1, "11" * 32),
    "a proof hash added": lambda p: p["batch_proof"].append("33" * 32),
    "a proof hash not hexadecimal": lambda p: p["batch_proof"].__setitem__(0, "zz" * 32),
    "the batch proof left out": lambda p: p.pop("batch_proof"),
    "an entry left out": lambda p: p["entries"].pop(1),
    "a proof for an empty batch": lambda p: (p["entries"].clear(), p.update(batch_proof=["44" * 32])),
    "a leaf": lambda p: p["entries"][0].update(
        leaf=base64.b64encode(
            base64.b64decode(p["entries"][0]["leaf"]).replace(b'"public":true', b'"public":1')
        ).decode()
    ),
    "the checkpoint root": lambda p: p["checkpoint"].update(root="22" * 32),
    "the checkpoint note": lambda p: p["checkpoint"].update(note=p["checkpoint"]["note"].replace("\n", "\n\n", 1)),
    "an entry's order": lambda p: p["entries"].reverse(),
    "a record against its schema": lambda p: p["entries"][0]["record"].update(extra="x"),
    "the next index": lambda p: p.update(next=p["checkpoint"]["size"] + 5),
    "the tree hash declared otherwise": lambda p: p["checkpoint"].update(hash="sm3"),
    "an unknown tree hash": lambda p: p["checkpoint"].update(hash="md5"),
}


@pytest.mark.parametrize("what", list(TAMPERING))
def test_a_tampered_batch_is_refused_and_nothing_of_it_is_stored(source, what):
    """The client asks for batch proofs: one proof for all of a batch's leaves."""
    source["tamper"] = TAMPERING[what]
    with pytest.raises(FeedError):
        pull(url=URL, token=source["token"], limit=1000)
    assert not MirrorRecord.objects.exists()
    assert MirrorSource.objects.get(url=URL).next_since == -1


def test_a_key_that_differs_from_the_pinned_one_is_refused(source):
    pull(url=URL, token=source["token"])
    other = Signer.generate(ledger_signer().name).verifier
    with pytest.raises(FeedError, match="公钥"):
        pull(url=URL, token=source["token"], key=str(other))


def test_a_checkpoint_signed_by_another_key_is_refused(source):
    other = Signer.generate(ledger_signer().name)
    with pytest.raises(FeedError, match="signature"):
        pull(url=URL, token=source["token"], key=str(other.verifier))
    assert not MirrorRecord.objects.exists()


def test_the_command_says_a_refused_pull_stored_nothing(source):
    source["tamper"] = TAMPERING["a proof hash"]
    with pytest.raises(CommandError, match="nothing of the batch stored"):
        call_command("exchange", "pull", "--url", URL, "--token", source["token"])
    assert not MirrorRecord.objects.exists()


def test_the_mirror_is_read_only_over_the_api(source, client, world):
    pull(url=URL, token=source["token"])
    client.force_login(world.people.officer)
    listed = client.get("/api/v1/exchange/mirror/records", {"kind": "item"}).json()
    assert listed["count"] == MirrorRecord.objects.filter(kind="item").count() >= 2
    assert client.post("/api/v1/exchange/mirror/records", {}, content_type="application/json").status_code == 405


def test_the_inclusion_checker_agrees_with_the_reference_verifier_on_every_leaf():
    leaves = [merkle.leaf_hash(bytes([n])) for n in range(37)]
    for size in (1, 2, 3, 8, 13, 37):
        frontier, nodes = [], {}
        for index, leaf in enumerate(leaves[:size]):
            for level, number, digest in merkle.append_to_frontier(frontier, index, leaf):
                nodes[(level, number)] = digest
        root, hash_of = merkle.root_from_frontier(frontier), merkle.range_hasher(nodes)
        checker = InclusionChecker(size, root)
        for index in range(size):
            proof = [hash_of(low, high) for low, high in merkle.inclusion_ranges(index, size)]
            merkle.verify_inclusion(index, size, leaves[index], proof, root)
            checker.check(index, leaves[index], proof)
            if proof:
                bad = copy.copy(proof)
                bad[-1] = bytes(32)
                with pytest.raises(merkle.ProofError):
                    checker.check(index, leaves[index], bad)
            with pytest.raises(merkle.ProofError):
                checker.check(index, leaves[(index + 1) % 37], proof)


ENTRY_PROOF_TAMPERING = {
    "a proof hash": lambda p: p["entries"][-1]["proof"].__setitem__(0, "00" * 32),
    "a proof cut short": lambda p: p["entries"][-1]["proof"].pop(),
    "the last proof hash": lambda p: p["entries"][-1]["proof"].__setitem__(-1, "11" * 32),
    "a proof left out": lambda p: p["entries"][0].pop("proof"),
    "a leaf": TAMPERING["a leaf"],
    "an entry's order": TAMPERING["an entry's order"],
}


@pytest.mark.parametrize("what", list(ENTRY_PROOF_TAMPERING))
def test_a_batch_with_a_proof_per_entry_verifies_and_tampering_with_it_is_refused(source, what):
    payload = feed_batch(since=-1, proofs="entry")
    verifier = ledger_signer().verifier
    assert "batch_proof" not in payload and all(item["proof"] for item in payload["entries"])
    assert len(verify_batch(copy.deepcopy(payload), verifier=verifier, since=-1).entries) == len(payload["entries"])
    ENTRY_PROOF_TAMPERING[what](payload)
    with pytest.raises(FeedError):
        verify_batch(payload, verifier=verifier, since=-1)


def test_a_batch_proof_of_a_few_hashes_proves_a_stretch_of_entries(source, world):
    for _ in range(30):
        make_power(world.harbin)
    checkpoint_create()
    payload = feed_batch(since=-1, limit=2000, proofs="batch")
    size = payload["checkpoint"]["size"]
    assert len(payload["entries"]) > 30 and len(payload["batch_proof"]) <= 2 * size.bit_length()
    assert all("proof" not in item for item in payload["entries"])
    batch = verify_batch(payload, verifier=ledger_signer().verifier, since=-1)
    assert [entry.index for entry in batch.entries] == [item["index"] for item in payload["entries"]]


def test_verify_batch_refuses_a_batch_starting_elsewhere(world):
    make_power(world.harbin)
    with transaction.atomic():
        ledger_append(actor=None, agency=world.harbin, action="case.note", subject=("cases.case", "1"))
    checkpoint_create()
    payload = feed_batch(since=-1)
    with pytest.raises(FeedError, match="asked for entries after 3"):
        verify_batch(payload, verifier=ledger_signer().verifier, since=3)


def _rewrite_middle_entry(payload):
    """An entry in the middle of the batch changed consistently — its signed leaf and its record say the same new
    time — so that only the batch's inclusion proof can tell."""
    item = payload["entries"][len(payload["entries"]) // 2]
    body = json.loads(base64.b64decode(item["leaf"]))
    body["time"] = item["record"]["ledger"]["time"] = "2020-01-01T00:00:00.000000Z"
    item["leaf"] = base64.b64encode(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()).decode()


def test_an_entry_rewritten_in_the_middle_of_a_batch_is_refused_by_the_batch_proof(source, world):
    for _ in range(6):
        make_power(world.harbin)
    checkpoint_create()
    payload = feed_batch(since=-1, limit=2000, proofs="batch")
    assert len(payload["entries"]) > 6
    _rewrite_middle_entry(payload)
    with pytest.raises(FeedError, match="inclusion proof"):
        verify_batch(payload, verifier=ledger_signer().verifier, since=-1)
    source["tamper"] = _rewrite_middle_entry
    with pytest.raises(FeedError, match="inclusion proof"):
        pull(url=URL, token=source["token"], limit=2000)
    assert not MirrorRecord.objects.exists()


def _linking(client, monkeypatch, since_of_next):
    """The source answers as over HTTP, each batch's Link header naming the `since` that `since_of_next` gives for
    the batch's own `next`."""

    def get(self, path, params=None, *, auth=True):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if auth else {}
        response = client.get(path + ("?" + urlencode(params) if params else ""), **headers)
        body = exchange_client.Body(response.content)
        if response.has_header("Link"):
            body.link = response["Link"].replace(
                f"since={response.json()['next']}&", f"since={since_of_next(response.json()['next'])}&"
            )
        return body

    monkeypatch.setattr(exchange_client.Http, "get", get)


def test_the_client_follows_the_link_to_the_next_batch(source, client, monkeypatch):
    _linking(client, monkeypatch, lambda following: following)
    report = pull(url=URL, token=source["token"], limit=2)
    assert report.batches > 1 and report.records == len(feed_batch(since=-1, limit=2000)["entries"])


def test_a_link_that_skips_entries_is_refused(source, client, monkeypatch):
    _linking(client, monkeypatch, lambda following: following + 1)
    with pytest.raises(FeedError, match="linked a batch after"):
        pull(url=URL, token=source["token"], limit=2)
    assert MirrorRecord.objects.count() == 2  # the first batch, verified whole, stays


@pytest.fixture
def gm_source(request, settings, tmp_path, db):
    """A source whose log was created in 国密 mode (SM3 tree, SM2 key): asked for before the world, whose making
    appends the first entries."""
    emptied_log()
    with gm_log(settings, tmp_path / "sm2.key"):
        yield request.getfixturevalue("source")


def test_a_source_in_gm_mode_is_mirrored_with_the_hash_its_checkpoint_declares(gm_source, world):
    batch = feed_batch(since=-1, limit=2000, proofs="batch")
    assert batch["checkpoint"]["hash"] == "sm3"
    with merkle.using("sha256"):  # a mirror whose own log hashes with SHA-256 checks the source's proofs with SM3
        verified = verify_batch(batch, verifier=ledger_signer().verifier, since=-1)
    assert verified.tree_hash == "sm3" and verified.entries
    assert verified.entries[0].leaf_hash == hashlib.new("sm3", b"\x00" + verified.entries[0].leaf).hexdigest()
    report = pull(url=URL, token=gm_source["token"])
    mirror = MirrorSource.objects.get(url=URL)
    assert report.records == len(batch["entries"]) and mirror.tree_hash == "sm3"
    make_power(world.harbin)  # the next pull proves consistency with the first checkpoint, in SM3
    checkpoint_create()
    assert pull(url=URL, token=gm_source["token"]).records == 1


def test_a_source_that_changes_its_tree_hash_is_refused_and_nothing_is_stored(gm_source, world):
    pull(url=URL, token=gm_source["token"])
    MirrorSource.objects.filter(url=URL).update(tree_hash="sha256")  # pinned from a source that hashed otherwise
    before = MirrorRecord.objects.count()
    make_power(world.harbin)
    checkpoint_create()
    with pytest.raises(FeedError, match="tree hash was sha256"):
        pull(url=URL, token=gm_source["token"])
    assert MirrorRecord.objects.count() == before
    source = MirrorSource.objects.get(url=URL)
    batch = verify_batch(
        feed_batch(since=source.next_since, proofs="batch"), verifier=ledger_signer().verifier, since=source.next_since
    )
    with pytest.raises(ValidationError, match="拒绝保存"):  # the service's own gate, whatever the caller checked
        mirror_batch_store(source=source, batch=batch)


def test_an_empty_batch_declaring_another_hash_pins_nothing(source, world):
    """A batch with no entries hashes no leaf: its declaration proves nothing and must not lock the mirror out."""
    last = feed_batch(since=-1, limit=2000)["next"]
    source["tamper"] = lambda payload: payload["checkpoint"].update(hash="sm3")
    pull(url=URL, token=source["token"], since=last)  # the tail: a batch of no entries, signed, declaring SM3
    assert MirrorSource.objects.get(url=URL).tree_hash == ""
    source["tamper"] = None
    make_power(world.harbin)
    checkpoint_create()
    assert pull(url=URL, token=source["token"]).records == 1
    assert MirrorSource.objects.get(url=URL).tree_hash == "sha256"
