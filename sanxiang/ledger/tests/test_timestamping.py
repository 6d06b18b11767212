"""Trusted time on checkpoints (RFC 3161) from a real time-stamping authority — OpenSSL's `openssl ts -reply` on
loopback: tokens verified before they are kept, a TSA down or untrusted never holding the log up, asked again."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.db import transaction
from django.utils import timezone

from sanxiang.ledger.models import Timestamp
from sanxiang.ledger.selectors import entry_timestamp, latest_timestamp
from sanxiang.ledger.services import checkpoint_create, ledger_append
from sanxiang.ledger.timestamping import (
    TimestampError,
    checkpoint_timestamp,
    load_roots,
    stamped_text,
    timestamps_retry,
    token_authority,
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


def test_a_folder_authority_is_asked_without_http_and_a_missing_one_is_down(tmp_path, settings):
    roots = make_authority(tmp_path / "tsa", name="某电子认证服务机构")
    settings.LEDGER_TSA_URL, settings.LEDGER_TSA_ROOTS = f"file://{tmp_path / 'tsa'}", roots
    append(2)
    checkpoint = checkpoint_create()
    assert checkpoint_timestamp() == "stamped"
    assert token_authority(Timestamp.objects.get(checkpoint=checkpoint).response) == "某电子认证服务机构"
    append(1)
    checkpoint_create()
    assert checkpoint_timestamp(url=f"file://{tmp_path / 'gone'}") == "down"


def test_an_entry_takes_the_earliest_time_of_the_stamped_checkpoints_that_include_it(authority):
    server, _roots = authority
    append(2)
    checkpoint_create()  # entries 0, 1; stamped
    checkpoint_timestamp()
    server.down = True
    append(2)
    unstamped = checkpoint_create()  # entries 2, 3; the TSA is down
    checkpoint_timestamp()
    server.down = False
    append(2)
    checkpoint_create()  # entries 4, 5; stamped
    checkpoint_timestamp()
    assert entry_timestamp(1)["size"] == 2
    assert entry_timestamp(2)["size"] == 6  # not the unstamped checkpoint of size 4
    assert entry_timestamp(2)["authority"] == "Sanxiang Test TSA"
    assert entry_timestamp(6) is None  # no checkpoint includes it yet
    assert latest_timestamp()["current"]
    append(1)
    checkpoint_create()
    assert latest_timestamp()["size"] == 6 and not latest_timestamp()["current"]
    # the checkpoint of 4, stamped once the TSA is back, vouches for entry 2 later than the one of 6 did
    token = Timestamp.objects.get(checkpoint_id=6)
    Timestamp.objects.create(
        checkpoint=unstamped,
        response=token.response,
        gen_time=token.gen_time + dt.timedelta(minutes=5),
        authority=token.authority,
        received_at=token.received_at + dt.timedelta(minutes=5),
    )
    assert entry_timestamp(2)["size"] == 6 and entry_timestamp(1)["size"] == 2


def test_openssl_verifies_the_published_text_token_and_roots(authority, client, tmp_path):
    """What the verify page tells a reader to download is enough for `openssl ts -verify`, and a changed text fails."""
    append(3)
    checkpoint = checkpoint_create()
    checkpoint_timestamp()
    files = {
        "text": client.get(f"/ledger/timestamp/{checkpoint.size}.txt"),
        "token": client.get(f"/ledger/timestamp/{checkpoint.size}"),
        "roots": client.get("/ledger/tsa-roots.pem"),
    }
    for name, response in files.items():
        assert response.status_code == 200, name
        (tmp_path / name).write_bytes(response.content)
    assert files["text"].content == stamped_text(checkpoint.note)

    def openssl_verify(text):
        command = ["openssl", "ts", "-verify", "-data", str(text), "-in", str(tmp_path / "token")]
        return subprocess.run([*command, "-CAfile", str(tmp_path / "roots")], capture_output=True, check=False)

    assert openssl_verify(tmp_path / "text").returncode == 0
    (tmp_path / "changed").write_bytes(files["text"].content.replace(b"\n3\n", b"\n2\n"))
    assert openssl_verify(tmp_path / "changed").returncode != 0
    assert client.get(f"/ledger/timestamp/{checkpoint.size + 1}.txt").status_code == 404


@pytest.mark.parametrize(("url", "returncode"), [("ftp://tsa.example.cn/", 2), ("file://{folder}", 0)])
def test_the_tsa_address_must_be_http_or_a_local_folder(tmp_path, url, returncode):
    roots = make_authority(tmp_path / "tsa")
    env = {
        "SANXIANG_DATA_DIR": str(tmp_path),
        "SANXIANG_LEDGER_TSA_URL": url.format(folder=tmp_path / "tsa"),
        "SANXIANG_LEDGER_TSA_ROOTS": str(roots),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == returncode, result.stderr
    assert ("SANXIANG_LEDGER_TSA_URL" in result.stderr) == (returncode == 2)


def test_the_verify_page_and_the_audit_page_show_the_trusted_time(authority, client, world):
    from django.urls import reverse

    from sanxiang.testing.publicity import published

    server, _roots = authority
    publication = published(world)
    version = publication.versions.get(number=1)
    page = f"/decisions/{publication.pk}/v1/verify"
    assert 'id="trusted-time"' not in client.get(page).content.decode()  # no checkpoint includes it yet
    checkpoint = checkpoint_create()
    checkpoint_timestamp()
    stamp = Timestamp.objects.get(checkpoint=checkpoint)
    assert checkpoint.size > version.ledger_index
    shown = client.get(page).content.decode()
    beijing = timezone.localtime(stamp.gen_time).strftime("%H:%M:%S")
    assert "时间戳服务“Sanxiang Test TSA”签署" in shown and f"账本规模 {checkpoint.size}" in shown and beijing in shown
    assert f'href="/ledger/timestamp/{checkpoint.size}.txt"' in shown
    client.force_login(world.people.auditor)
    assert 'data-trusted-time="current"' in client.get(reverse("audit:audit")).content.decode()
    server.down = True
    append(1)
    checkpoint_create()
    checkpoint_timestamp()
    audit = client.get(reverse("audit:audit")).content.decode()
    assert 'data-trusted-time="behind"' in audit and "最新检查点尚未取得时间戳" in audit
