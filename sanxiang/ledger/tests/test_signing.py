import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from sanxiang.agencies import services as agency_services
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
    path.chmod(0o600)
    with pytest.raises(ImproperlyConfigured, match="已损坏"):
        load_signer(path, name="sanxiang.test/ledger", create=True)
    assert path.read_text() == content


def test_a_key_with_another_name_is_refused(tmp_path):
    path = tmp_path / "signing.key"
    path.write_text(Signer.generate("other.log").encode())
    path.chmod(0o600)
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
    (tmp_path / "ledger" / "signing.key").chmod(0o600)
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


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644])
def test_a_key_file_others_may_read_or_write_is_refused(tmp_path, mode):
    path = tmp_path / "signing.key"
    load_signer(path, name="sanxiang.test/ledger", create=True)
    path.chmod(mode)
    with pytest.raises(ImproperlyConfigured, match=f"权限为 {mode:04o}.*chmod 600"):
        load_signer(path, name="sanxiang.test/ledger", create=False)
    path.chmod(0o400)  # stricter than 0600 is fine
    load_signer(path, name="sanxiang.test/ledger", create=False)


def test_signing_and_start_up_refuse_a_loose_key_file(world, settings, tmp_path):
    settings.LEDGER_KEY_FILE = tmp_path / "signing.key"
    checkpoint_create()
    settings.LEDGER_KEY_FILE.chmod(0o644)
    agency_services.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查")
    with pytest.raises(ImproperlyConfigured, match="0644"):
        checkpoint_create()
    errors = [error for error in run_checks() if error.id == "sanxiang.ledger.E001"]
    assert errors and "chmod 600" in errors[0].msg


def test_every_folder_created_for_a_new_key_is_owner_only(tmp_path):
    path = tmp_path / "keys" / "ledger" / "signing.key"
    load_signer(path, name="sanxiang.test/ledger", create=True)
    assert (path.parent.stat().st_mode & 0o777) == (path.parent.parent.stat().st_mode & 0o777) == 0o700


def test_a_key_outside_the_data_folder_signs_and_nothing_is_written_to_it(world, settings, tmp_path):
    outside = tmp_path / "keys" / "ledger.key"
    settings.LEDGER_KEY_FILE = outside
    before = set(settings.DATA_DIR.rglob("*.key"))
    checkpoint = checkpoint_create()
    assert outside.stat().st_mode & 0o777 == 0o600 and outside.parent.stat().st_mode & 0o777 == 0o700
    assert set(settings.DATA_DIR.rglob("*.key")) == before
    assert open_note(checkpoint.note, load_signer(outside, name=settings.LEDGER_ORIGIN, create=False).verifier)
    assert not any(warning.id == "sanxiang.ledger.W001" for warning in run_checks())


def test_a_key_inside_the_data_folder_is_warned_about(world, settings):
    settings.LEDGER_KEY_FILE = settings.DATA_DIR / "ledger" / "inside.key"
    checkpoint_create()
    assert any(warning.id == "sanxiang.ledger.W001" for warning in run_checks())


class RemoteSigner:
    """Stands for an HSM or KMS: the private key never leaves it, only `sign` is called."""

    calls = 0

    def __init__(self, name):
        self.name, self._key = name, Signer.generate(name)

    @property
    def verifier(self):
        return self._key.verifier

    def sign(self, message: bytes) -> bytes:
        RemoteSigner.calls += 1
        return self._key.sign(message)


REMOTE = {}


def remote_signer(*, name):
    return REMOTE.setdefault(name, RemoteSigner(name))


def test_a_signer_factory_replaces_the_key_file(world, settings, tmp_path):
    settings.LEDGER_SIGNER = f"{__name__}.remote_signer"
    settings.LEDGER_KEY_FILE = tmp_path / "unused.key"
    checkpoint = checkpoint_create()
    assert RemoteSigner.calls >= 1 and not settings.LEDGER_KEY_FILE.exists()
    assert open_note(checkpoint.note, REMOTE[settings.LEDGER_ORIGIN].verifier)
    assert not any(error.id.startswith("sanxiang.ledger") for error in run_checks())


@pytest.mark.parametrize("path", ["sanxiang.nowhere.signer", "sanxiang.ledger.tests.test_signing.RemoteSigner.calls"])
def test_a_signer_factory_that_does_not_load_is_refused(world, settings, path):
    settings.LEDGER_SIGNER = path
    with pytest.raises(ImproperlyConfigured, match="SANXIANG_LEDGER_SIGNER"):
        checkpoint_create()
    assert any(error.id == "sanxiang.ledger.E001" for error in run_checks())


@pytest.mark.parametrize("value", ["nodots", "a..b", "a.b-c"])
def test_a_malformed_signer_setting_stops_start_up(tmp_path, value):
    env = {"PATH": os.environ["PATH"], "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_LEDGER_SIGNER": value}
    result = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "SANXIANG_LEDGER_SIGNER" in result.stderr
