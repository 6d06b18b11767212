"""Two installations: the source served by the live server, the reference client run as `sanxiang exchange pull`
in its own process with its own data folder and database (a SQLite file, or a new PostgreSQL database when the
suite runs on PostgreSQL) — the way a partner's installation would pull."""

import json

import pytest

from sanxiang.api.models import TokenScope
from sanxiang.api.services import api_token_create
from sanxiang.exchange.selectors import feed_batch
from sanxiang.ledger.services import checkpoint_create, ledger_signer
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.ledger import emptied_log, gm_log
from sanxiang.testing.processes import run

MIRROR_SQL = """
import json
from sanxiang.exchange.models import MirrorRecord, MirrorSource
from sanxiang.exchange.schemas import record_errors
source = MirrorSource.objects.get()
records = list(MirrorRecord.objects.order_by("index"))
print(json.dumps({"key": source.verifier_key, "next": source.next_since, "indexes": [r.index for r in records],
                  "tree_hash": source.tree_hash,
                  "invalid": [r.index for r in records if record_errors(r.record)]}))
"""


def test_a_second_installation_pulls_and_verifies_the_feed_over_http(live_data, live_server, world, fresh_database):
    power = make_power(world.harbin)
    make_item(power)
    checkpoint_create()
    raw = api_token_create(actor=None, user=world.people.partner, name="镜像", scope=TokenScope.PARTNER)[1]
    pulled = run(fresh_database, "-m", "sanxiang", "exchange", "pull", "--url", live_server.url, "--token", raw)
    expected = [item["index"] for item in feed_batch(since=-1, limit=2000)["entries"]]
    assert f"records: {len(expected)}" in pulled, pulled
    mirror = json.loads(run(fresh_database, "-m", "sanxiang", "shell", "-c", MIRROR_SQL).strip().splitlines()[-1])
    assert mirror["indexes"] == expected and not mirror["invalid"]
    assert mirror["key"] == str(ledger_signer().verifier)


def test_a_partner_token_given_to_the_client_cannot_be_used_to_write(live_data, live_server, world):
    checkpoint_create()
    raw = api_token_create(actor=None, user=world.people.partner, name="镜像", scope=TokenScope.PARTNER)[1]
    script = (
        "import urllib.request, urllib.error, json\n"
        f"request = urllib.request.Request({live_server.url + '/api/v1/exchange/feed'!r}, data=b'{{}}', method='POST',"
        f" headers={{'Authorization': 'Bearer {raw}', 'Content-Type': 'application/json'}})\n"
        "try:\n    urllib.request.urlopen(request)\nexcept urllib.error.HTTPError as error:\n"
        "    print(error.code, json.loads(error.read())['error']['code'])\n"
    )
    # the client's request needs no database of its own: a plain process with the token, as a partner's script
    assert run({"PATH": "/usr/bin:/bin"}, "-c", script).split() == ["403", "token_scope"]


@pytest.fixture
def gm_source(settings, tmp_path, live_data):
    """This installation's log created in 国密 mode (SM3 tree, SM2 key): asked for before the world, whose making
    appends the first entries."""
    emptied_log()
    with gm_log(settings, tmp_path / "sm2.key"):
        yield


def test_an_installation_hashing_with_sha256_mirrors_a_source_in_gm_mode(gm_source, live_server, world, fresh_database):
    """The mirror's own log hashes with SHA-256 in its own process; the source's leaves, batch proof and, on the
    second pull, its consistency proof are checked with the SM3 its checkpoint declares."""
    make_item(make_power(world.harbin))
    checkpoint_create()
    raw = api_token_create(actor=None, user=world.people.partner, name="镜像", scope=TokenScope.PARTNER)[1]
    pull = ("-m", "sanxiang", "exchange", "pull", "--url", live_server.url, "--token", raw)
    expected = [item["index"] for item in feed_batch(since=-1, limit=2000)["entries"]]
    assert f"records: {len(expected)}" in run(fresh_database, *pull)
    make_power(world.harbin)
    checkpoint_create()
    assert "records: 1" in run(fresh_database, *pull)
    mirror = json.loads(run(fresh_database, "-m", "sanxiang", "shell", "-c", MIRROR_SQL).strip().splitlines()[-1])
    assert mirror["tree_hash"] == "sm3" and len(mirror["indexes"]) == len(expected) + 1 and not mirror["invalid"]
    assert "sha256" in run(fresh_database, "-m", "sanxiang", "shell", "-c", HEAD_SQL)


HEAD_SQL = "from sanxiang.ledger.models import LogHead; print(LogHead.objects.get().hash_algorithm)"
