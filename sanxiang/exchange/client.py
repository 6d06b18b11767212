"""The reference client of the exchange feed: pull a source's batches over HTTP, verify each whole (checkpoint
signature by the pinned key, consistency with the checkpoint verified before, inclusion proofs, schemas, bindings
to the signed leaves), and store it in the read-only mirror through `services.mirror_batch_store`.

The source's key is pinned on first use (read from its public /ledger/key) unless given; a key given, or read,
that differs from the pinned one stops the pull before anything is fetched.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sanxiang.exchange import services
from sanxiang.exchange.models import MirrorSource
from sanxiang.exchange.verify import Checkpoint, FeedError, verify_batch
from sanxiang.ledger import merkle
from sanxiang.ledger.keys import parse_verifier
from sanxiang.ledger.signing import NoteError, Verifier

FEED_PATH = "/api/v1/exchange/feed"
KEY_PATH = "/ledger/key"
CONSISTENCY_PATH = "/ledger/proof/consistency"
TIMEOUT = 60
AHEAD = 2  # batches fetched ahead of the one being stored (0: no bound)


@dataclass
class PullReport:
    """What a pull did. The stages overlap, so their seconds need not add up to `seconds`: `fetch_seconds` is the
    time spent waiting for a batch, `verify_seconds` the verifying thread's (and the consistency checks'),
    `store_seconds` the storing."""

    source: str
    batches: int = 0
    records: int = 0
    next_since: int = -1
    checkpoint_size: int = 0
    seconds: float = 0.0
    fetch_seconds: float = 0.0
    verify_seconds: float = 0.0
    store_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


class Body(bytes):
    """A response's body, with its Link header (RFC 8288), which names the feed's next batch."""

    link: str = ""


NEXT_LINK = re.compile(r'<[^>]*[?&]since=(\d+)[^>]*>\s*;\s*rel="next"')


class Http:
    """GET with the partner's bearer token; a refusal comes back as the source's JSON error, in FeedError."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base.rstrip("/"), token

    def get(self, path: str, params: dict | None = None, *, auth: bool = True) -> bytes:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        if auth:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body = Body(response.read())
                body.link = response.headers.get("Link", "")
                return body
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode(errors="replace")
            raise FeedError(f"{url}: HTTP {error.code} {detail}") from None
        except urllib.error.URLError as error:
            raise FeedError(f"{url}: {error.reason}") from None


def source_key(http: Http, given: str | None) -> Verifier:
    """The key given on the command line, or else the one the source publishes."""
    text = given if given else http.get(KEY_PATH, auth=False).decode()
    try:
        return parse_verifier(text)
    except NoteError as error:
        raise FeedError(f"the source's checkpoint key: {error}") from None


def check_consistency(http: Http, source: MirrorSource, checkpoint: Checkpoint) -> None:
    """The new checkpoint's tree extends the one verified before (RFC 9162 consistency proof): a source that
    rewrote what the mirror already holds is refused."""
    old_size = source.checkpoint_size
    if not old_size or checkpoint.size == old_size:
        if old_size and checkpoint.root.hex() != source.checkpoint_root:
            raise FeedError("the source signed a different root for a size already verified")
        return
    if checkpoint.size < old_size:
        raise FeedError(f"the source's checkpoint went back from {old_size} to {checkpoint.size} entries")
    answer = json.loads(http.get(CONSISTENCY_PATH, {"from": old_size, "to": checkpoint.size}, auth=False))
    try:
        merkle.verify_consistency(
            old_size,
            checkpoint.size,
            bytes.fromhex(source.checkpoint_root),
            checkpoint.root,
            [bytes.fromhex(value) for value in answer["proof"]],
        )
    except (merkle.ProofError, KeyError, ValueError) as error:
        raise FeedError(f"consistency with the checkpoint verified before: {error}") from None


def _fetch(http: Http, since: int, limit: int) -> tuple[bytes | dict, int | None]:
    """A batch and the `since` of the one after it (None: there is none). The next batch is asked for as soon as
    this one is read when the source's Link header names it; the batch is then parsed with its verification."""
    # One proof for the whole batch: its leaves' hashes and the proof's few nodes give the signed root.
    raw = http.get(FEED_PATH, {"since": since, "limit": limit, "proofs": "batch"})
    linked = NEXT_LINK.search(getattr(raw, "link", ""))
    if linked:
        return raw, int(linked[1])
    payload = json.loads(raw)  # the last batch, or a source that sends no Link: the batch itself says
    following = payload.get("next") if isinstance(payload, dict) else None
    return payload, following if isinstance(following, int) and payload.get("more") else None


def _fetch_ahead(http: Http, since: int, limit: int, ready: queue.Queue, stop: threading.Event) -> None:
    """Fetch batch after batch into `ready`, each with the `since` of the next, until the source has no more (then
    None) or fails (then the error), or until `stop` is set."""

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    while True:
        try:
            payload, following = _fetch(http, since, limit)
        except Exception as error:  # handed to the storing thread, which stops there
            put(error)
            return
        if not put((payload, following)):
            return
        if following is None or following <= since:
            put(None)
            return
        since = following


def _verify(payload, verifier: Verifier, since: int):
    moment = time.perf_counter()
    if isinstance(payload, bytes):
        try:
            payload = json.loads(payload)
        except ValueError as error:
            raise FeedError(f"the batch is not JSON: {error}") from None
    return verify_batch(payload, verifier=verifier, since=since), time.perf_counter() - moment


def _store(http: Http, source: MirrorSource, checked, report: PullReport) -> MirrorSource:
    """Store a batch once its verification (`checked`, a future) succeeded and its checkpoint is consistent with
    the one verified before."""
    moment = time.perf_counter()
    batch, seconds = checked.result()
    if report.batches and batch.since != source.next_since:  # `since` was the source's Link, not the batch's next
        raise FeedError(f"the source linked a batch after {batch.since}; the batch before ended at {source.next_since}")
    if batch.checkpoint is not None:
        if source.tree_hash and batch.tree_hash != source.tree_hash:
            raise FeedError(f"the source's tree hash was {source.tree_hash}; this batch declares {batch.tree_hash}")
        with merkle.using(batch.tree_hash):
            check_consistency(http, source, batch.checkpoint)
    report.verify_seconds += seconds + time.perf_counter() - moment
    moment = time.perf_counter()
    report.records += services.mirror_batch_store(source=source, batch=batch)
    source.refresh_from_db()
    report.store_seconds += time.perf_counter() - moment
    report.batches += 1
    return source


def pull(*, url: str, token: str, key: str | None = None, since: int | None = None, limit: int = 1000) -> PullReport:
    """Pull every batch the source has after `since` (default: where the mirror stands) into the mirror."""
    started = time.perf_counter()
    http = Http(url, token)
    verifier = source_key(http, key)
    try:
        source = services.mirror_source_pin(url=http.base, verifier=verifier)
    except Exception as error:  # a ValidationError: the key differs from the pinned one
        raise FeedError(" ".join(getattr(error, "messages", [str(error)]))) from None
    verifier = parse_verifier(source.verifier_key)
    report = PullReport(source=source.url)
    position = source.next_since if since is None else since
    if since is not None and source.next_since != -1 and since != source.next_since:
        raise FeedError(f"the mirror of {source.url} stands at {source.next_since}; pulling from {since} would skip")
    # Three stages overlap: a thread fetches batch after batch (each one's `since` the one the Link header of the
    # batch before names, or else its unverified `next`; at most AHEAD waiting), a second parses and verifies each
    # (pure, no database), and this one stores each verified batch in order, once it starts where the one before
    # ended. A batch is stored only once verified whole; should one be refused, nothing of it is stored and those
    # after it are dropped unread.
    ready: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as fetcher, ThreadPoolExecutor(max_workers=1) as checker:
        fetcher.submit(_fetch_ahead, http, position, limit, ready, stop)
        checked = None
        try:
            while True:
                moment = time.perf_counter()
                item = ready.get()
                report.fetch_seconds += time.perf_counter() - moment
                if item is None:
                    break
                if isinstance(item, BaseException):  # the source stopped answering: what was verified stays
                    if checked is not None:
                        source = _store(http, source, checked, report)
                    raise item
                payload, following = item
                checking = checker.submit(_verify, payload, verifier, position)
                if checked is not None:
                    source = _store(http, source, checked, report)
                checked, position = checking, following
            if checked is not None:
                source = _store(http, source, checked, report)
        finally:
            stop.set()
    report.next_since, report.checkpoint_size = source.next_since, source.checkpoint_size
    report.seconds = time.perf_counter() - started
    return report
