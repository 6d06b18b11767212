"""Trusted time on checkpoints (RFC 3161) from a real time-stamping authority — OpenSSL's `openssl ts -reply` on
loopback: tokens verified before they are kept, a TSA down or untrusted never holding the log up, asked again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from sanxiang.ledger.models import Timestamp
from sanxiang.ledger.services import checkpoint_create, ledger_append
from sanxiang.ledger.timestamping import (
    TimestampError,
    checkpoint_timestamp,
    load_roots,
    stamped_text,
    timestamps_retry,
    verify_token,
)
from sanxiang.testing.tsa import make_authority, served_authority

pytestmark = pytest.mark.django_db


def append(count: int) -> None:
    with transaction.atomic():
        for n in range(count):
            ledger_append(actor=None, agency="", action="test.event", subject=("test", str(n)))


@pytest.fixture
def authority(tmp_path, settings):
    with served_authority(tmp_path / "tsa") as (url, roots, server):
        settings.LEDGER_TSA_URL, settings.LEDGER_TSA_ROOTS = url, roots
        yield server, roots


def test_a_checkpoint_gets_a_token_that_verifies_over_its_text(authority):
    _server, roots = authority
    append(3)
    checkpoint = checkpoint_create()
    assert checkpoint_timestamp() == "stamped"
    kept = Timestamp.objects.get(checkpoint=checkpoint)
    assert abs(kept.gen_time - timezone.now()) < dt.timedelta(minutes=1)
    trusted = load_roots(roots.read_bytes())
    assert verify_token(bytes(kept.response), stamped_text(checkpoint.note), trusted) == kept.gen_time
    with pytest.raises(TimestampError):  # the token covers this text and no other
        verify_token(bytes(kept.response), stamped_text(checkpoint.note).replace(b"\n3\n", b"\n4\n"), trusted)
    assert checkpoint_timestamp() == "absent"  # the latest has its token: nothing more to ask


def test_a_tsa_down_leaves_the_checkpoint_unstamped_and_it_is_asked_again(authority):
    server, _roots = authority
    server.down = True
    append(2)
    first = checkpoint_create()
    assert checkpoint_timestamp(size=first.size) == "down"
    append(2)  # the log goes on
    second = checkpoint_create()
    assert not Timestamp.objects.exists()
    server.down = False
    assert timestamps_retry() == ["stamped", "stamped"]
    assert set(Timestamp.objects.values_list("checkpoint_id", flat=True)) == {first.size, second.size}


def test_a_token_from_an_authority_not_trusted_is_not_kept(authority, tmp_path, settings):
    settings.LEDGER_TSA_ROOTS = make_authority(tmp_path / "other")  # another root than the TSA's
    append(1)
    checkpoint_create()
    assert checkpoint_timestamp() == "refused"
    assert not Timestamp.objects.exists()


def test_no_tsa_configured_asks_nobody(settings):
    settings.LEDGER_TSA_URL = ""
    append(1)
    checkpoint_create()
    assert checkpoint_timestamp() == "absent" and timestamps_retry() == []


def test_the_token_is_asked_for_after_the_checkpoint_commits(authority, django_capture_on_commit_callbacks):
    append(1)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            checkpoint = checkpoint_create()
    assert Timestamp.objects.filter(checkpoint=checkpoint).exists()


def test_a_garbled_token_is_refused_by_the_verifier(authority):
    _server, roots = authority
    append(1)
    checkpoint = checkpoint_create()
    checkpoint_timestamp()
    token = bytearray(Timestamp.objects.get().response)
    token[-10] ^= 1
    with pytest.raises(TimestampError):
        verify_token(bytes(token), stamped_text(checkpoint.note), load_roots(roots.read_bytes()))


def test_the_token_and_the_roots_are_published(authority, client):
    _server, roots = authority
    append(1)
    checkpoint = checkpoint_create()
    assert client.get(f"/ledger/timestamp/{checkpoint.size}").status_code == 404
    checkpoint_timestamp()
    response = client.get(f"/ledger/timestamp/{checkpoint.size}")
    assert response["Content-Type"] == "application/timestamp-reply" and "immutable" in response["Cache-Control"]
    published = client.get("/ledger/tsa-roots.pem").content
    assert verify_token(response.content, stamped_text(checkpoint.note), load_roots(published))
    assert load_roots(published) == load_roots(roots.read_bytes())


def test_ledger_verify_checks_every_kept_token(authority):
    from sanxiang.ledger.services import ledger_signer
    from sanxiang.ledger.verification import verify_log

    append(2)
    first = checkpoint_create()
    checkpoint_timestamp()
    append(2)
    checkpoint_create()
    checkpoint_timestamp()
    signer = ledger_signer()
    assert verify_log(verifier=signer.verifier, origin=signer.name).ok
    # someone with database access puts the first checkpoint's token on the second
    token = Timestamp.objects.get(checkpoint=first).response
    Timestamp.objects.exclude(checkpoint=first).update(response=token)
    report = verify_log(verifier=signer.verifier, origin=signer.name)
    assert [problem.kind for problem in report.problems] == ["bad_timestamp"]
