"""The log's side of witnessing, against witnesses answering over real HTTP: cosignatures collected and served, a
witness down (the log goes on, the checkpoint under quorum), a witness that holds another size, and a split view
shown to two witnesses run as `sanxiang witness serve` processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import transaction
from django.test import Client

from sanxiang.ledger import selectors, witnessing
from sanxiang.ledger.cosign import CosignerKey, require_quorum
from sanxiang.ledger.models import Checkpoint, Cosignature
from sanxiang.ledger.services import checkpoint_body, checkpoint_create, ledger_append, ledger_signer
from sanxiang.ledger.signing import NoteError
from sanxiang.testing.witnesses import served_witness

pytestmark = pytest.mark.django_db


def append(count: int) -> None:
    with transaction.atomic():
        for n in range(count):
            ledger_append(actor=None, agency="", action="test.event", subject=("test", str(n)))


def configure(settings, urls_and_keys, quorum):
    settings.LEDGER_WITNESSES = [(url, str(key)) for url, key in urls_and_keys]
    settings.LEDGER_WITNESS_QUORUM = quorum


def fork_note(size: int) -> str:
    """A checkpoint of `size` with another root, signed by the log's own key: the history shown to someone else."""
    return ledger_signer().sign_note(checkpoint_body(origin=ledger_signer().name, size=size, root=bytes(range(32))))


def test_two_witnesses_cosign_each_checkpoint_and_the_note_carries_them(tmp_path, settings):
    append(5)
    checkpoint_create()
    log_key = str(ledger_signer().verifier)
    with (
        served_witness(tmp_path / "w1", name="w1.example.cn", log_key=log_key) as (url1, w1),
        served_witness(tmp_path / "w2", name="w2.example.cn", log_key=log_key) as (url2, w2),
    ):
        configure(settings, [(url1, w1.cosigner.key), (url2, w2.cosigner.key)], 2)
        first = selectors.latest_checkpoint()
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "cosigned", "w2.example.cn": "cosigned"}
        assert witnessing.standing(first) == witnessing.Standing(2, 2, 2)
        append(8)
        second = checkpoint_create()
        # each witness gets the proof from the size it cosigned last
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "cosigned", "w2.example.cn": "cosigned"}
        assert w1.logs()[0][2] == w2.logs()[0][2] == second.size == 13
        served = Client().get("/ledger/checkpoint").content.decode()
        keys = [w1.cosigner.key, w2.cosigner.key]
        assert require_quorum(served, keys, 2).keys() == {"w1.example.cn", "w2.example.cn"}
        assert served.startswith(second.note)
        policy = Client().get("/ledger/witnesses").content.decode()
        assert witnessing.parse_policy(policy) == (2, keys)
        # asked again, nobody is asked twice
        assert Cosignature.objects.filter(checkpoint=second).count() == 2
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "cosigned", "w2.example.cn": "cosigned"}
        assert Cosignature.objects.filter(checkpoint=second).count() == 2


def test_a_witness_down_leaves_the_checkpoint_under_quorum_and_the_log_going(tmp_path, settings):
    append(3)
    checkpoint_create()
    log_key = str(ledger_signer().verifier)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    down_url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=log_key) as (url1, w1):
        from sanxiang.ledger.cosign import Cosigner

        absent = Cosigner.generate("w2.example.cn").key
        configure(settings, [(url1, w1.cosigner.key), (down_url, absent)], 2)
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "cosigned", "w2.example.cn": "down"}
        standing = witnessing.standing(selectors.latest_checkpoint())
        assert (standing.cosigned, standing.met) == (1, False)
        append(2)  # the log goes on
        assert checkpoint_create().size == 5
    closed.close()


def test_a_witness_holding_a_size_the_log_signed_gets_the_proof_from_there(tmp_path, settings):
    append(4)
    earlier = checkpoint_create()
    log_key = str(ledger_signer().verifier)
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=log_key) as (url1, w1):
        assert w1.add_checkpoint(f"old 0\n\n{earlier.note}".encode()).status == 200  # a monitor sent it
        append(3)
        checkpoint_create()
        configure(settings, [(url1, w1.cosigner.key)], 1)
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "cosigned"}
        assert w1.logs()[0][2] == 7


def test_a_witness_holding_a_size_the_log_never_signed_is_an_alarm(tmp_path, settings, caplog):
    append(4)
    checkpoint_create()
    log_key = str(ledger_signer().verifier)
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=log_key) as (url1, w1):
        assert w1.add_checkpoint(f"old 0\n\n{fork_note(100)}".encode()).status == 200
        configure(settings, [(url1, w1.cosigner.key)], 1)
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "alarm"}
    assert "never signed" in caplog.text
    assert not Cosignature.objects.exists()


def test_an_answer_without_a_valid_cosignature_is_not_kept(tmp_path, settings):
    append(2)
    checkpoint_create()
    log_key = str(ledger_signer().verifier)
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=log_key) as (url1, w1):
        from sanxiang.ledger.cosign import Cosigner

        configure(settings, [(url1, Cosigner.generate("w1.example.cn").key)], 1)  # the key we were told is not its
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "refused"}
    assert not Cosignature.objects.exists()


def test_a_checkpoint_signed_with_witnesses_configured_is_sent_after_its_commit(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    append(2)
    log_key_holder = checkpoint_create()  # the key exists from here on
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=str(ledger_signer().verifier)) as (url, w1):
        configure(settings, [(url, w1.cosigner.key)], 1)
        append(1)
        with django_capture_on_commit_callbacks(execute=True) as failed:
            with pytest.raises(RuntimeError):  # the transaction that signed it fails: nothing is sent
                with transaction.atomic():
                    checkpoint_create()
                    raise RuntimeError
        assert failed == [] and w1.logs()[0][2] == 0
        with django_capture_on_commit_callbacks(execute=True) as sent:
            with transaction.atomic():
                signed = checkpoint_create()
        # queued as the transaction committed (huey runs tasks at once in the tests)
        assert len(sent) == 1
        assert Cosignature.objects.filter(checkpoint=signed).count() == 1
    assert log_key_holder.size == 2


def _start(*args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "sanxiang", "witness", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _run(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sanxiang", "witness", *args], env=env, capture_output=True, text=True, timeout=60
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_split_view_shown_to_two_witness_processes_is_detected(tmp_path, settings, caplog):
    """Two `sanxiang witness serve` processes; the log's key signs two checkpoints of one size. Each witness alone
    cosigns what it is shown first, so neither history reaches a quorum of two; the second witness, shown the true
    checkpoint after the fork, refuses it and keeps the alarm."""
    append(5)
    checkpoint = checkpoint_create()
    env = {**os.environ, "SANXIANG_DATA_DIR": str(tmp_path / "data")}
    log_key = str(ledger_signer().verifier)
    keys, urls, servers = [], [], []
    try:
        for name in ("w1", "w2"):
            made = _run(
                "init", "--state", str(tmp_path / name), "--name", f"{name}.example.cn", "--log-key", log_key, env=env
            )
            assert made.returncode == 0, made.stderr
            keys.append(CosignerKey.parse(made.stdout.strip().splitlines()[-1]))
            port = _free_port()
            servers.append(_start("serve", "--state", str(tmp_path / name), "--bind", f"127.0.0.1:{port}", env=env))
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait_for(url)
        fork = fork_note(checkpoint.size)
        shown = urllib.request.urlopen(
            urllib.request.Request(f"{urls[1]}/add-checkpoint", data=f"old 0\n\n{fork}".encode(), method="POST"),
            timeout=10,
        )
        fork_cosigned = fork + shown.read().decode()
        configure(settings, list(zip(urls, keys)), 2)
        assert witnessing.checkpoint_witness() == {"w1.example.cn": "cosigned", "w2.example.cn": "alarm"}
        assert "refused checkpoint" in caplog.text
        true_note = witnessing.witnessed_note(Checkpoint.objects.get(size=checkpoint.size))
        for history in (true_note, fork_cosigned):
            with pytest.raises(NoteError, match="cosigned by 1 of the 2 witnesses; 2 required"):
                require_quorum(history, keys, 2)
        alarms = _run("alarms", "--state", str(tmp_path / "w2"), env=env)
        assert alarms.returncode == 3 and "split view" in alarms.stdout
        assert _run("alarms", "--state", str(tmp_path / "w1"), env=env).returncode == 0
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_ledger_verify_reports_the_quorum_and_finds_a_forged_cosignature(tmp_path, settings):
    from sanxiang.ledger.cosign import Cosigner
    from sanxiang.ledger.verification import verify_log

    append(3)
    checkpoint_create()
    signer = ledger_signer()
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=str(signer.verifier)) as (url, w1):
        absent = Cosigner.generate("w2.example.cn")
        configure(settings, [(url, w1.cosigner.key), ("http://127.0.0.1:9", absent.key)], 2)
        witnessing.checkpoint_witness()
    report = verify_log(verifier=signer.verifier, origin=signer.name)
    assert report.ok and report.status == "under_quorum"
    assert report.as_dict()["witnesses"] == {"cosigned": 1, "witnesses": 2, "quorum": 2}
    # someone with database access adds w2's "cosignature", made with another key under its name
    checkpoint = selectors.latest_checkpoint()
    text = checkpoint_body(origin=signer.name, size=checkpoint.size, root=bytes(checkpoint.root))
    forged = Cosigner.generate("w2.example.cn").cosign(text, time=1_800_000_000)
    Cosignature.objects.create(
        checkpoint=checkpoint,
        witness="w2.example.cn",
        key_id=absent.key.key_id.hex(),
        line=forged,
        signed_at=checkpoint.created_at,
        received_at=checkpoint.created_at,
    )
    report = verify_log(verifier=signer.verifier, origin=signer.name)
    assert [problem.kind for problem in report.problems] == ["bad_cosignature"]
    assert "w2.example.cn" in report.problems[0].message
    assert witnessing.standing(checkpoint).cosigned == 1  # counted as verifiers count: it does not verify


def test_the_audit_page_says_how_far_the_latest_checkpoint_is_witnessed(client, world, tmp_path, settings):
    from django.urls import reverse

    from sanxiang.ledger.cosign import Cosigner

    append(2)
    checkpoint_create()
    client.force_login(world.people.auditor)
    page = client.get(reverse("audit:audit")).content.decode()
    assert "data-witnessed" not in page and "全部机关" in page  # no witnesses configured; the filter reads in words
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=str(ledger_signer().verifier)) as (url, w1):
        configure(settings, [(url, w1.cosigner.key), ("http://127.0.0.1:9", Cosigner.generate("w2.example.cn").key)], 2)
        witnessing.checkpoint_witness()
        page = client.get(reverse("audit:audit")).content.decode()
        assert 'data-witnessed="under"' in page and "2 个独立见证方中的 1 个联署，要求 2 个" in page
        configure(settings, [(url, w1.cosigner.key)], 1)
        assert 'data-witnessed="met"' in client.get(reverse("audit:audit")).content.decode()


def test_ledger_verify_exits_3_under_quorum_and_0_once_met(tmp_path, settings):
    from io import StringIO

    from django.core.management import call_command

    from sanxiang.ledger.cosign import Cosigner

    append(2)
    checkpoint_create()
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=str(ledger_signer().verifier)) as (url, w1):
        configure(settings, [(url, w1.cosigner.key), ("http://127.0.0.1:9", Cosigner.generate("w2.example.cn").key)], 2)
        witnessing.checkpoint_witness()
        out = StringIO()
        with pytest.raises(SystemExit) as exit_code:
            call_command("ledger", "verify", stdout=out)
        assert exit_code.value.code == 3 and "cosigned by 1 of 2 witnesses" in out.getvalue()
        configure(settings, [(url, w1.cosigner.key)], 1)
        out = StringIO()
        call_command("ledger", "verify", stdout=out)  # no exit: 0
        assert "账本核验通过" in out.getvalue()
