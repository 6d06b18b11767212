"""The unsigned tail and checkpoints kept outside: what `ledger verify` can and cannot see of a rewrite."""

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxiang.agencies import services as agency_services
from sanxiang.ledger.models import Checkpoint, Entry, LogHead
from sanxiang.ledger.services import checkpoint_body, checkpoint_create, ledger_signer
from sanxiang.ledger.signing import Signer
from sanxiang.testing.ledger import rewrite_entry, triggers_dropped


def verify(*args):
    out = StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def export(path):
    call_command("ledger", "checkpoint", "--export", str(path), stdout=StringIO())
    return path


def suspend(world, certificate="partner"):
    agency_services.certificate_suspend(actor=None, certificate=getattr(world.certificates, certificate), reason="调查")
    return Entry.objects.order_by("-index").first()


def forged(entry):
    """The entry with another snapshot digest (the indexed columns stay as they are, as a careful forger keeps them)."""
    body = bytes(entry.body)
    at = body.index(b'"digest":"') + len(b'"digest":"')
    return body[:at] + b"0" * 64 + body[at + 64 :]


def test_verify_names_the_unsigned_tail_as_a_warning_within_the_bound(world):
    signed = checkpoint_create()
    suspend(world)
    suspend(world, "officer")
    code, out = verify()
    assert code == 0 and out.startswith(f"OK: {signed.size + 2} entries, 1 checkpoints verified; {signed.size} entries")
    assert f"WARNING: unsigned tail: 2 entries from index {signed.size}" in out
    code, out = verify("--json")
    report = json.loads(out)
    assert code == 0 and report["status"] == "unsigned_tail"
    assert report["tail"]["count"] == 2 and report["tail"]["from_index"] == signed.size
    assert not report["tail"]["overdue"]


def test_a_tail_older_than_the_bound_is_overdue_and_exits_2(world):
    checkpoint_create()
    suspend(world)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.LEDGER_CHECKPOINT_SECONDS + 1)):
        code, out = verify()
    assert code == 2 and "OVERDUE: unsigned tail: 1 entries" in out and "sanxiang ledger checkpoint" in out


def test_a_rewritten_tail_entry_is_only_reported_as_unsigned_by_verify_alone(world):
    checkpoint_create()
    entry = suspend(world)
    rewrite_entry(entry.index, forged(entry))
    code, out = verify()
    # Nothing anchors the tail: the rewrite is invisible, but verify says the entry was never signed.
    assert code == 0 and f"unsigned tail: 1 entries from index {entry.index}" in out, out


def test_a_rewrite_hidden_by_deleting_checkpoints_is_caught_by_a_checkpoint_kept_outside(world, tmp_path):
    checkpoint_create()
    entry = suspend(world)
    saved = export(tmp_path / "checkpoint.txt")  # an outsider keeps the checkpoint covering the entry
    # The attacker rewrites the entry, recomputes the tree, deletes the checkpoint that covered it, and lets the
    # app sign the forgery.
    rewrite_entry(entry.index, forged(entry))
    with triggers_dropped():
        Checkpoint.objects.filter(size__gt=entry.index).delete()
    checkpoint_create()
    code, out = verify()
    assert code == 0 and out.startswith("OK:")  # the log alone cannot tell
    code, out = verify("--against", str(saved))
    assert code == 1 and out.startswith(f"FAILED at index {entry.index}: external_checkpoint_mismatch")
    assert str(saved) in out


def test_a_log_that_agrees_with_the_saved_checkpoint_passes_against_it(world, tmp_path):
    checkpoint_create()
    suspend(world)
    saved = export(tmp_path / "checkpoint.txt")
    suspend(world, "officer")
    code, out = verify("--against", str(saved), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["external_checkpoints"] == 1 and report["tail"]["count"] == 1


def test_a_log_cut_below_a_saved_checkpoint_is_named(world, tmp_path):
    checkpoint_create()
    first = suspend(world)
    saved = export(tmp_path / "checkpoint.txt")
    with triggers_dropped():
        Entry.objects.filter(index__gte=first.index).delete()
        Checkpoint.objects.filter(size__gt=first.index).delete()
        LogHead.objects.update(size=first.index)
    code, out = verify("--against", str(saved), "--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and problems[0]["kind"] == "entry_missing" and "covers" in problems[0]["message"]


def test_the_verifier_key_may_come_from_outside(world, tmp_path):
    checkpoint_create()
    saved = export(tmp_path / "checkpoint.txt")
    key = tmp_path / "verifier.key"
    out = StringIO()
    call_command("ledger", "key", stdout=out)
    key.write_text(out.getvalue())
    assert verify("--against", str(saved), "--key", str(key))[0] == 0
    other = Signer.generate(settings.LEDGER_ORIGIN).verifier
    with pytest.raises(CommandError, match="检查点文件 .* 无效"):
        verify("--against", str(saved), "--key", str(other))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "无法读取"),
        ("garbage\n", "无效"),
        (Signer.generate("sanxiang.local/ledger").sign_note("sanxiang.local/ledger\n1\nAAAA\n"), "无效"),
    ],
)
def test_a_bad_saved_checkpoint_is_refused_with_a_clear_message(world, tmp_path, content, message):
    checkpoint_create()
    path = tmp_path / "checkpoint.txt"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        verify("--against", str(path))


def test_a_checkpoint_of_another_log_or_a_bad_root_is_refused(world, tmp_path):
    checkpoint_create()
    signer = ledger_signer()
    for name, body in [
        ("other", checkpoint_body(origin="other.log", size=1, root=b"\x00" * 32)),
        ("short", f"{settings.LEDGER_ORIGIN}\n1\nAAAA\n"),
        ("size", f"{settings.LEDGER_ORIGIN}\n01\n{'A' * 43}=\n"),
    ]:
        path = tmp_path / name
        path.write_text(signer.sign_note(body))
        with pytest.raises(CommandError, match="无效"):
            verify("--against", str(path))


def test_export_never_overwrites_a_saved_checkpoint(world, tmp_path):
    path = tmp_path / "checkpoint.txt"
    path.write_text("kept")
    with pytest.raises(CommandError, match="已存在"):
        export(path)
    assert path.read_text() == "kept"
