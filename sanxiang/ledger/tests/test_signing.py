import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from sanxiang.ledger.services import checkpoint_create
from sanxiang.ledger.signing import NoteError, Signer, load_signer, open_note


def test_the_key_is_created_on_first_use_owner_only(tmp_path):
    path = tmp_path / "ledger" / "signing.key"
    signer = load_signer(path, name="sanxiang.test/ledger", create=True)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_signer(path, name="sanxiang.test/ledger", create=False).encode() == signer.encode()


@pytest.mark.parametrize("content", ["", "garbage", "PRIVATE+KEY+sanxiang.test/ledger+00000000+AAAA"])
def test_a_corrupt_key_is_refused_never_replaced(tmp_path, content):
    path = tmp_path / "signing.key"
    path.write_text(content)
    with pytest.raises(ImproperlyConfigured, match="已损坏"):
        load_signer(path, name="sanxiang.test/ledger", create=True)
    assert path.read_text() == content


def test_a_key_with_another_name_is_refused(tmp_path):
    path = tmp_path / "signing.key"
    path.write_text(Signer.generate("other.log").encode())
    with pytest.raises(ImproperlyConfigured, match="不符"):
        load_signer(path, name="sanxiang.test/ledger", create=False)


def test_start_up_checks_refuse_a_missing_key_once_checkpoints_exist(world, settings, tmp_path):
    checkpoint_create()
    settings.LEDGER_KEY_FILE = tmp_path / "missing.key"
    errors = [error for error in run_checks() if error.id == "sanxiang.ledger.E001"]
    assert errors and "不存在" in errors[0].msg
    settings.LEDGER_KEY_FILE.write_text("damaged")
    assert any(error.id == "sanxiang.ledger.E001" for error in run_checks())


def test_the_command_line_refuses_to_start_with_a_damaged_key(tmp_path):
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "signing.key").write_text("damaged")
    env = {"PATH": os.environ["PATH"], "SANXIANG_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "sanxiang.ledger.E001" in result.stderr and "已损坏" in result.stderr


def test_a_note_signed_by_us_opens_with_our_verifier_only():
    signer, other = Signer.generate("a.log"), Signer.generate("a.log")
    note = signer.sign_note("a.log\n3\nAAAA\n")
    assert open_note(note, signer.verifier) == "a.log\n3\nAAAA\n"
    with pytest.raises(NoteError):
        open_note(note, other.verifier)
    with pytest.raises(NoteError):
        open_note(note.replace("\n3\n", "\n4\n"), signer.verifier)
    with pytest.raises(NoteError):
        signer.sign_note("no final newline")
