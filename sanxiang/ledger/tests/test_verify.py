"""`sanxiang ledger verify` against a log tampered with directly in the database (triggers dropped first)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sanxiang.agencies import services as agency_services
from sanxiang.ledger.models import Entry, LogHead
from sanxiang.ledger.services import checkpoint_body, checkpoint_create, ledger_signer
from sanxiang.testing.ledger import append_only_enforced, triggers_dropped


@pytest.fixture
def log(world):
    """A log of some twenty entries with two checkpoints."""
    first = checkpoint_create()
    agency_services.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查")
    agency_services.certificate_reinstate(actor=None, certificate=world.certificates.partner, reason="结束")
    second = checkpoint_create()
    return first, second


def verify(*args):
    out = StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_log_verifies(log):
    code, out = verify()
    assert code == 0 and out.startswith(f"OK: {LogHead.objects.get().size} entries, 2 checkpoints")
    code, out = verify("--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["checkpoints"] == 2 and report["problems"] == []


def tampered(statement, params=()):
    with append_only_enforced(), triggers_dropped():
        sql(statement, params)


def test_an_altered_entry_is_named(log):
    body = bytes(Entry.objects.get(index=7).body).replace(b'"actor":"system"', b'"actor":"staff:99"')
    tampered("UPDATE ledger_entry SET body = %s WHERE idx = 7", [body])
    code, out = verify()
    assert code == 1 and out.startswith("FAILED at index 7: entry_altered")


def test_a_deleted_entry_is_named(log):
    tampered("DELETE FROM ledger_entry WHERE idx = 5")
    code, out = verify()
    assert code == 1 and out.startswith("FAILED at index 5: entry_missing")


def test_deleted_entries_at_the_end_are_named(log):
    first, second = log
    tampered("DELETE FROM ledger_entry WHERE idx >= %s", [first.size])
    code, out = verify("--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and problems[0]["index"] == first.size and problems[0]["kind"] == "entry_missing"


def test_reordered_entries_are_named(log):
    four, nine = (bytes(Entry.objects.get(index=i).body) for i in (4, 9))
    tampered("UPDATE ledger_entry SET body = %s WHERE idx = 4", [nine])
    tampered("UPDATE ledger_entry SET body = %s WHERE idx = 9", [four])
    code, out = verify()
    assert code == 1 and out.startswith("FAILED at index 4: entry_out_of_order")


def test_an_altered_index_column_is_named(log):
    tampered("UPDATE ledger_entry SET action = 'certificate.issue' WHERE idx = 3")
    code, out = verify()
    assert code == 1 and out.startswith("FAILED at index 3: entry_altered")


def test_a_changed_time_or_publicity_column_is_named(log):
    internal = Entry.objects.filter(public=False).order_by("index").first()
    tampered("UPDATE ledger_entry SET public = %s WHERE idx = %s", [True, internal.index])
    code, out = verify()
    assert code == 1 and out.startswith(f"FAILED at index {internal.index}: entry_altered")


def test_a_changed_time_column_is_named(log):
    tampered("UPDATE ledger_entry SET time = %s WHERE idx = 2", [timezone.now() - dt.timedelta(days=400)])
    code, out = verify()
    assert code == 1 and out.startswith("FAILED at index 2: entry_altered")


def test_an_altered_tree_node_is_named(log):
    tampered("UPDATE ledger_node SET hash = %s WHERE position = 2", [b"\x11" * 32])
    code, out = verify()
    assert code == 1 and out.startswith("FAILED at index 1: node_altered")


def test_a_checkpoint_with_a_changed_root_fails_its_signature(log):
    first, _second = log
    tampered("UPDATE ledger_checkpoint SET root = %s WHERE size = %s", [b"\x22" * 32, first.size])
    code, out = verify("--json")
    kinds = {problem["kind"] for problem in json.loads(out)["problems"]}
    assert code == 1 and {"bad_signature", "checkpoint_root_mismatch", "not_append_only"} <= kinds


def test_a_forged_note_fails_its_signature(log):
    first, _second = log
    note = first.note.replace(f"\n{first.size}\n", f"\n{first.size + 1}\n")
    tampered("UPDATE ledger_checkpoint SET note = %s WHERE size = %s", [note, first.size])
    code, out = verify()
    assert code == 1 and "bad_signature" in out


def test_a_rewritten_history_under_a_validly_signed_checkpoint_is_not_append_only(log):
    first, _second = log
    signer = ledger_signer()
    forged_root = b"\x33" * 32
    note = signer.sign_note(checkpoint_body(origin=settings.LEDGER_ORIGIN, size=first.size, root=forged_root))
    tampered("UPDATE ledger_checkpoint SET root = %s, note = %s WHERE size = %s", [forged_root, note, first.size])
    code, out = verify("--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and [p["kind"] for p in problems] == ["checkpoint_root_mismatch", "not_append_only"]
    assert problems[0]["index"] == first.size - 1


def test_other_commands_show_prove_and_print_the_key(log):
    out = StringIO()
    call_command("ledger", "show", "0", stdout=out)
    assert json.loads(out.getvalue())["index"] == 0
    out = StringIO()
    call_command("ledger", "proof", "3", stdout=out)
    assert json.loads(out.getvalue())["size"] == log[1].size
    out = StringIO()
    call_command("ledger", "key", stdout=out)
    assert out.getvalue().strip() == str(ledger_signer().verifier)
