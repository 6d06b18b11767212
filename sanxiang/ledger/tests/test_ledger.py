"""The database log: appends in the business transaction, immutability, proofs and the public endpoints."""

import base64
import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies import services as agency_services
from sanxiang.agencies.models import Certificate, CertificateStatus
from sanxiang.ledger import merkle
from sanxiang.ledger.models import Entry, LogHead, Node
from sanxiang.ledger.selectors import batch_proof, entry_json, inclusion_proof, root_at
from sanxiang.ledger.services import checkpoint_create, ledger_append, ledger_signer, staff_refs
from sanxiang.ledger.signing import Verifier, open_note
from sanxiang.testing.ledger import append_only_enforced


def last_entry():
    return Entry.objects.order_by("-index").first()


def test_a_certificate_service_writes_its_entry_in_the_same_transaction(world):
    before = LogHead.objects.get().size
    certificate = agency_services.certificate_suspend(
        actor=world.people.admin, certificate=world.certificates.officer, reason="调查期间暂扣"
    )
    entry = last_entry()
    body = entry_json(entry)
    assert entry.index == before and LogHead.objects.get().size == before + 1
    assert body["action"] == "certificate.suspend" and body["actor"] == f"staff:{world.people.admin.pk}"
    assert body["subject"] == f"agencies.certificate:{certificate.pk}" and body["agency"] == "230100"
    assert body["data"]["status"] == "suspended" and len(body["data"]["digest"]) == 64
    assert entry.public


def test_a_failing_append_rolls_the_business_change_back(world, monkeypatch):
    from sanxiang.agencies import services
    from sanxiang.ledger import transitions

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(transitions, "ledger_append", broken)
    size = LogHead.objects.get().size
    with pytest.raises(DatabaseError):
        services.certificate_revoke(actor=None, certificate=world.certificates.officer, reason="调离")
    assert Certificate.objects.get(pk=world.certificates.officer.pk).status == CertificateStatus.VALID
    assert LogHead.objects.get().size == size


def test_a_refused_business_step_writes_nothing_to_the_ledger(world):
    size = LogHead.objects.get().size
    with pytest.raises(ValidationError):
        agency_services.certificate_reinstate(actor=None, certificate=world.certificates.officer, reason="无暂扣")
    assert LogHead.objects.get().size == size and Entry.objects.count() == size


def test_appending_outside_a_transaction_is_refused(db, world):
    with pytest.raises(RuntimeError):
        transaction.get_connection().in_atomic_block = False
        try:
            ledger_append(actor=None, agency=None, action="x", subject=("t", "1"))
        finally:
            transaction.get_connection().in_atomic_block = True


def test_no_personal_data_enters_the_ledger(world):
    from sanxiang.testing.factories import make_certificate, make_staff

    person = make_staff(
        agency=world.harbin, roles=["officer"], username="zhang.sanfeng", full_name="张三丰", email="zsf@example.cn"
    )
    agency_services.staff_update(actor=None, staff=person, job_title="执法队员")
    make_certificate(holder=person)
    bodies = [bytes(entry.body).decode() for entry in Entry.objects.all()]
    assert any(f"staff:{person.pk}" in body or f"agencies.user:{person.pk}" in body for body in bodies)
    for secret in ("张三丰", "zhang.sanfeng", "zsf@example.cn", "执法队员", "李明", "张丽华"):
        assert all(secret not in body for body in bodies), secret


def test_an_orm_update_and_a_raw_delete_are_refused(world):
    entry = last_entry()
    with append_only_enforced():
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            Entry.objects.filter(index=entry.index).update(action="forged")
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM ledger_entry")
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            Node.objects.filter(position=0).update(hash=b"\x00" * 32)
    assert Entry.objects.get(index=entry.index).action == entry.action


def test_the_tree_root_matches_the_rfc_definition(world):
    bodies = [bytes(body) for body in Entry.objects.order_by("index").values_list("body", flat=True)]
    from sanxiang.testing.ledger import reference_root

    assert root_at(len(bodies)) == reference_root(bodies)


def test_a_checkpoint_is_a_signed_c2sp_note(world):
    checkpoint = checkpoint_create()
    size = LogHead.objects.get().size
    text = open_note(checkpoint.note, ledger_signer().verifier)
    origin, size_line, root_line = text.splitlines()
    assert origin == settings.LEDGER_ORIGIN and int(size_line) == size == checkpoint.size
    assert base64.b64decode(root_line) == root_at(size)
    signature_line = checkpoint.note.splitlines()[-1]
    assert signature_line.startswith(f"\u2014 {settings.LEDGER_ORIGIN} ")
    assert len(base64.b64decode(signature_line.split(" ")[-1])) == 68
    assert checkpoint_create() == checkpoint  # nothing new: the same checkpoint


@pytest.fixture
def api():
    return APIClient()


def test_the_public_endpoints_serve_checkpoint_key_and_proofs_that_verify(api, world):
    checkpoint = checkpoint_create()
    note = api.get("/ledger/checkpoint")
    assert note.status_code == 200 and note["Content-Type"].startswith("text/plain")
    verifier = Verifier.parse(api.get("/ledger/key").content.decode())
    size = int(open_note(note.content.decode(), verifier).splitlines()[1])
    root = bytes(checkpoint.root)
    for index in range(size):
        body = api.get("/ledger/proof/inclusion", {"index": index, "size": size}).json()
        merkle.verify_inclusion(
            index, size, bytes.fromhex(body["leaf_hash"]), [bytes.fromhex(h) for h in body["proof"]], root
        )
    agency_services.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查")
    newer = checkpoint_create()
    body = api.get("/ledger/proof/consistency", {"from": size, "to": newer.size}).json()
    merkle.verify_consistency(size, newer.size, root, bytes(newer.root), [bytes.fromhex(h) for h in body["proof"]])


@pytest.mark.parametrize(
    "query",
    [
        {"index": "x", "size": "3"},
        {"index": "-1", "size": "3"},
        {"index": "1"},
        {"index": "9", "size": "3"},
        {"index": "1", "size": "99999"},
    ],
)
def test_bad_proof_parameters_are_a_400_with_a_json_error(api, world, query):
    checkpoint_create()
    response = api.get("/ledger/proof/inclusion", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("validation_error", "invalid_proof_request")


def test_proofs_beyond_the_latest_checkpoint_are_refused(api, world):
    checkpoint = checkpoint_create()
    agency_services.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查")
    response = api.get("/ledger/proof/inclusion", {"index": 0, "size": checkpoint.size + 1})
    assert response.status_code == 400 and "checkpoint" in response.json()["error"]["message"]
    response = api.get("/ledger/proof/consistency", {"from": 0, "to": checkpoint.size})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "internal_visible"),
    [
        ("anonymous", False),
        ("officer", False),
        ("head", False),
        ("admin", False),
        ("security", False),
        ("auditor", True),
        ("outsider", False),
        ("province_admin", False),
        ("province_auditor", True),
    ],
)
def test_internal_entries_are_for_auditors_of_their_agency(api, world, persona, internal_visible):
    agency_services.staff_set_roles(actor=world.people.security, staff=world.people.clerk, roles=["publicity_clerk"])
    internal = last_entry()
    public = Entry.objects.filter(public=True).first()
    if persona != "anonymous":
        api.force_authenticate(getattr(world.people, persona))
    assert api.get(f"/ledger/entries/{public.index}").status_code == 200
    response = api.get(f"/ledger/entries/{internal.index}")
    assert response.status_code == (200 if internal_visible else 404)
    if internal_visible:
        assert response.json() == json.loads(bytes(internal.body))
    assert api.get("/ledger/entries/999999").status_code == 404


def test_a_checkpoint_cannot_be_made_without_the_key_once_checkpoints_exist(world, tmp_path, settings):
    from django.core.exceptions import ImproperlyConfigured

    checkpoint_create()
    settings.LEDGER_KEY_FILE = tmp_path / "gone.key"
    agency_services.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查")
    with pytest.raises(ImproperlyConfigured, match="不存在"):
        checkpoint_create()
    assert not (tmp_path / "gone.key").exists()


def test_the_inclusion_proof_of_an_entry_matches_the_leaf_of_its_body(world):
    checkpoint = checkpoint_create()
    entry = last_entry()
    proof = inclusion_proof(entry.index, checkpoint.size)
    assert bytes.fromhex(proof["leaf_hash"]) == merkle.leaf_hash(bytes(entry.body))


def test_a_batch_proof_from_the_stored_nodes_proves_its_entries_in_the_signed_tree(world):
    checkpoint = checkpoint_create()
    agency_services.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查")
    bodies = {index: bytes(body) for index, body in Entry.objects.values_list("index", "body")}
    for indexes in ([0], [1, 2, 3], list(range(checkpoint.size)), [0, checkpoint.size - 1]):
        proof = batch_proof(indexes, checkpoint.size)
        leaves = [merkle.leaf_hash(bodies[index]) for index in indexes]
        merkle.verify_batch_inclusion(checkpoint.size, indexes, leaves, proof, bytes(checkpoint.root))
    with pytest.raises(merkle.ProofError, match="checkpoint"):
        batch_proof([0], checkpoint.size + 1)


def test_the_history_page_shows_who_did_what(client, world):
    agency_services.certificate_suspend(actor=world.people.admin, certificate=world.certificates.officer, reason="调查")
    client.force_login(world.people.officer)
    url = reverse("audit:history", args=["agencies.certificate", world.certificates.officer.pk])
    body = client.get(url).content.decode()
    assert "暂扣执法证" in body and world.people.admin.full_name in body and "登记执法证" in body
    client.force_login(world.people.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 403),
        ("head", 403),
        ("admin", 403),
        ("security", 403),
        ("auditor", 200),
        ("province_auditor", 200),
        ("outsider", 403),
    ],
)
def test_the_audit_page_is_for_audit_administrators_only(client, world, persona, status):
    client.force_login(getattr(world.people, persona))
    response = client.get(reverse("audit:audit"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert world.certificates.officer.number in body
        # The province's auditor audits every agency below it; Harbin's never sees Qiqihar.
        assert (world.certificates.outsider.number in body) is (persona == "province_auditor")


def test_several_staff_are_named_in_account_order_by_number_not_as_text():
    # as text "staff:100" sorts before "staff:99", and a history page would list the officers in a changing order
    assert staff_refs([100, 99, 7]) == ["staff:7", "staff:99", "staff:100"]
