import base64
import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from sanxiang.api.models import TokenScope
from sanxiang.api.services import api_token_create
from sanxiang.exchange import schemas
from sanxiang.exchange.selectors import feed_batch
from sanxiang.ledger import merkle
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_create, ledger_append
from sanxiang.ledger.signing import Verifier, open_note
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.publicity import published

FEED = "/api/v1/exchange/feed"


def token(world, scope=TokenScope.PARTNER, user=None) -> str:
    return api_token_create(actor=None, user=user or world.people.partner, name="信用平台", scope=scope)[1]


def reference_validator(kind: str) -> Draft202012Validator:
    """The general validator, with every schema of the set registered, as a partner would load them."""
    registry = Registry().with_resources(
        (schemas.schema(name)["$id"], Resource.from_contents(schemas.schema(name))) for name in schemas.NAMES
    )
    return Draft202012Validator(schemas.schema(kind), registry=registry)


@pytest.fixture
def data_set(world):
    """A published penalty decision, a power and an inspection item, certificates (from `world`), and an internal
    entry, all under one signed checkpoint."""
    publication = published(world)
    power = make_power(world.harbin)
    item = make_item(power)
    from django.db import transaction

    with transaction.atomic():
        internal = ledger_append(actor=None, agency=world.harbin, action="case.note", subject=("cases.case", "1"))
    checkpoint_create()
    return {"publication": publication, "power": power, "item": item, "internal": internal}


def get_feed(client, raw, **params):
    return client.get(FEED, params, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_partner_token_reads_public_entries_with_proofs_against_the_signed_checkpoint(client, world, data_set):
    response = get_feed(client, token(world), since=-1, limit=1000)
    assert response.status_code == 200, response.content
    batch = response.json()
    checkpoint = batch["checkpoint"]
    text = open_note(checkpoint["note"], Verifier.parse(str(_verifier())))
    assert text.split("\n")[1] == str(checkpoint["size"])
    indexes = [item["index"] for item in batch["entries"]]
    public = set(Entry.objects.filter(public=True).values_list("index", flat=True))
    assert indexes and set(indexes) <= public and data_set["internal"] not in indexes
    kinds = {item["record"]["kind"] for item in batch["entries"]}
    assert kinds == {"officer", "item", "publication"}
    root = bytes.fromhex(checkpoint["root"])
    for item in batch["entries"]:
        leaf = base64.b64decode(item["leaf"])
        assert leaf == bytes(Entry.objects.get(index=item["index"]).body)
        merkle.verify_inclusion(
            item["index"], checkpoint["size"], merkle.leaf_hash(leaf), [bytes.fromhex(h) for h in item["proof"]], root
        )
        record = item["record"]
        assert not list(reference_validator(record["kind"]).iter_errors(record)), record
        assert schemas.is_valid_record(record)
        assert record["ledger"]["index"] == item["index"] == json.loads(leaf)["index"]
    assert batch["next"] == checkpoint["size"] - 1 and batch["more"] is False


def test_a_publication_record_carries_the_public_text_whose_hash_the_entry_signed(client, world, data_set):
    batch = get_feed(client, token(world)).json()
    (publication,) = [item for item in batch["entries"] if item["record"]["kind"] == "publication"]
    record, facts = publication["record"], json.loads(base64.b64decode(publication["leaf"]))["data"]
    assert record["event"] == "publish" and record["act"]["number"] == data_set["publication"].number
    assert record["public_sha256"] == facts["sha256"]
    assert record["subject"]["name"] and "证件号码" not in {k for k, v in record["summary"].items() if v}


def _verifier():
    from sanxiang.ledger.services import ledger_signer

    return ledger_signer().verifier


def test_batches_follow_one_another_by_next(client, world, data_set):
    raw = token(world)
    seen, since = [], -1
    while True:
        batch = get_feed(client, raw, since=since, limit=2).json()
        assert len(batch["entries"]) <= 2
        seen += [item["index"] for item in batch["entries"]]
        if not batch["more"]:
            break
        since = batch["next"]
    assert seen == [item["index"] for item in feed_batch(since=-1, limit=1000)["entries"]]


def test_entries_after_the_latest_checkpoint_wait_for_the_next_one(client, world, data_set):
    make_power(world.harbin)  # appended after the checkpoint
    batch = get_feed(client, token(world)).json()
    assert max(item["index"] for item in batch["entries"]) < batch["checkpoint"]["size"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_partner_token_used_for_writes_is_refused_with_a_clear_error(client, world, data_set, method):
    response = getattr(client, method)(
        FEED, data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token(world)}"
    )
    assert response.status_code == 403
    body = response.json()
    assert body["error"]["code"] == "token_scope" and "只能读取" in body["error"]["message"]


def test_a_partner_token_cannot_write_elsewhere_either(client, world, data_set):
    response = client.post(
        "/api/v1/powers/",
        data=json.dumps({"code": "X"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token(world)}",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "token_scope"


def test_the_feed_asks_for_an_account(client, world, data_set):
    response = client.get(FEED)
    assert response.status_code in (401, 403) and "code" in response.json()["error"]


def test_staff_and_read_tokens_read_the_same_feed(client, world, data_set):
    by_partner = get_feed(client, token(world)).json()
    by_read = get_feed(client, token(world, TokenScope.READ, world.people.officer)).json()
    client.force_login(world.people.outsider)
    by_session = client.get(FEED).json()
    assert by_partner == by_read == by_session


def test_a_batch_proof_proves_every_entry_of_the_batch_at_once(client, world, data_set):
    by_entry = get_feed(client, token(world), limit=1000).json()
    batch = get_feed(client, token(world), limit=1000, proofs="batch").json()
    assert [item | {"proof": None} for item in by_entry["entries"]] == [
        item | {"proof": None} for item in batch["entries"]
    ]
    assert "batch_proof" not in by_entry and all("proof" not in item for item in batch["entries"])
    checkpoint = batch["checkpoint"]
    indexes = [item["index"] for item in batch["entries"]]
    leaves = [merkle.leaf_hash(base64.b64decode(item["leaf"])) for item in batch["entries"]]
    proof = [bytes.fromhex(value) for value in batch["batch_proof"]]
    merkle.verify_batch_inclusion(checkpoint["size"], indexes, leaves, proof, bytes.fromhex(checkpoint["root"]))
    # The internal entry between them is not in the batch: the proof holds its subtree's hash, never its bytes.
    assert data_set["internal"] not in indexes and len(proof) == len(merkle.batch_ranges(indexes, checkpoint["size"]))


@pytest.mark.parametrize("params", [{"since": "x"}, {"since": -2}, {"limit": 0}, {"limit": 100000}, {"proofs": "none"}])
def test_bad_feed_parameters_are_refused_as_structured_errors(client, world, data_set, params):
    response = get_feed(client, token(world), **params)
    assert response.status_code == 400 and "code" in response.json()["error"]


def test_before_any_checkpoint_the_feed_is_empty(client, world):
    from sanxiang.ledger.models import Checkpoint

    assert not Checkpoint.objects.exists()
    batch = get_feed(client, token(world)).json()
    assert batch["entries"] == [] and batch["checkpoint"] is None and batch["next"] == -1


@pytest.mark.parametrize("name", schemas.NAMES)
def test_every_schema_is_published_and_is_a_valid_2020_12_schema(client, name):
    response = client.get(f"/api/v1/exchange/schema/{name}.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/schema+json")
    document = json.loads(response.content)
    Draft202012Validator.check_schema(document)
    assert document["$id"] == f"urn:sanxiang:exchange:1:{name}"


def test_an_unknown_schema_is_a_structured_404(client):
    response = client.get("/api/v1/exchange/schema/secret.json")
    assert response.status_code == 404 and "code" in response.json()["error"]


def test_the_openapi_document_describes_the_exchange_endpoints(client, world):
    client.force_login(world.people.officer)
    document = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/exchange/feed" in document["paths"]
    assert "/api/v1/exchange/schema/{name}.json" in document["paths"]
    feed = document["components"]["schemas"]["FeedOut"]
    assert set(feed["properties"]) == {"format", "since", "next", "more", "checkpoint", "entries", "batch_proof"}
    parameters = {
        parameter["name"]: parameter for parameter in document["paths"]["/api/v1/exchange/feed"]["get"]["parameters"]
    }
    assert parameters["proofs"]["schema"]["enum"] == ["entry", "batch"]


def _mutations(record):
    yield record
    for key in record:
        yield {name: value for name, value in record.items() if name != key}
        for value in (None, True, 1, 1.0, "", "x", [], {}):
            yield record | {key: value}
    yield record | {"unexpected": 1}
    yield record | {"ledger": record["ledger"] | {"index": -1}}
    yield record | {"agency": {"code": "1" * 13, "name": "x"}}


def test_the_compiled_checks_agree_with_the_reference_validator(client, world, data_set):
    batch = get_feed(client, token(world)).json()
    compared = 0
    for item in batch["entries"]:
        reference = reference_validator(item["record"]["kind"])
        for record in _mutations(item["record"]):
            assert schemas.is_valid_record(record) == reference.is_valid(record) or (
                # 1.0 is an integer to the general validator; a JSON integer written 1.0 is refused here
                any(value == 1.0 and type(value) is float for value in record.values())
            ), record
            compared += 1
    assert compared > 100


def test_a_batch_names_the_next_one_in_its_link_header(client, world, data_set):
    raw = token(world)
    first = get_feed(client, raw, since=-1, limit=2, proofs="batch")
    batch = first.json()
    assert batch["more"]
    assert first["Link"] == f'<{FEED}?since={batch["next"]}&limit=2&proofs=batch>; rel="next"'
    last = get_feed(client, raw, since=batch["next"], limit=1000)
    assert not last.json()["more"] and not last.has_header("Link")
