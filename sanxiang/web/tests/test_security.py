import subprocess
import sys

import pytest
from django.urls import reverse

from sanxiang.env import SettingError, database_from_url, env_bool, env_int
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import enrolled


def test_pages_carry_security_headers(client, db):
    response = client.get(reverse("portal:home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_are_protected_against_cross_site_requests(world):
    from sanxiang.testing.otp import VerifiedClient

    strict = VerifiedClient(enforce_csrf_checks=True)
    strict.force_login(world.people.security)
    response = strict.post(reverse("agencies:staff-roles", args=[world.people.clerk.pk]), {"roles": ["officer"]})
    assert response.status_code == 403


def test_repeated_failed_logins_lock_the_account_on_that_address(client, world):
    url = reverse("web:login")
    for _ in range(4):
        assert client.post(url, {"username": "officer", "password": "wrong"}).status_code == 200
    assert client.post(url, {"username": "officer", "password": "wrong"}).status_code == 429  # the fifth locks
    locked = client.post(url, {"username": "officer", "password": PASSWORD})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("function", "args", "env"),
    [
        (env_bool, ("SANXIANG_DEBUG", False), "maybe"),
        (env_int, ("SANXIANG_LOGIN_FAILURE_LIMIT", 5), "five"),
    ],
)
def test_a_bad_setting_value_names_the_variable(monkeypatch, function, args, env):
    monkeypatch.setenv(args[0], env)
    with pytest.raises(SettingError) as error:
        function(*args)
    assert args[0] in str(error.value)


@pytest.mark.parametrize("url", ["mysql://db/x", "postgres://", "sqlite://", "postgres://h:notaport/db"])
def test_a_bad_database_url_names_the_variable(tmp_path, url):
    with pytest.raises(SettingError, match="SANXIANG_DATABASE_URL"):
        database_from_url("SANXIANG_DATABASE_URL", url, data_dir=tmp_path)


def test_database_urls_are_parsed(tmp_path):
    sqlite = database_from_url("X", "sqlite:///db.sqlite3", data_dir=tmp_path)
    assert sqlite["NAME"] == str(tmp_path / "db.sqlite3") and "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    assert database_from_url("X", "sqlite:////abs/x.db", data_dir=tmp_path)["NAME"] == "/abs/x.db"
    pg = database_from_url("X", "postgres://u:p%40ss@db.local:5433/sx?sslmode=require", data_dir=tmp_path)
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == ("u", "p@ss", "db.local", "5433", "sx")
    assert pg["OPTIONS"] == {"sslmode": "require"}


def test_the_command_refuses_to_start_with_a_bad_setting(tmp_path):
    env = {"SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_DEBUG": "sometimes", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "SANXIANG_DEBUG" in result.stderr and "Traceback" not in result.stderr


def test_the_secret_key_file_is_created_owner_only(tmp_path):
    from sanxiang.env import secret_key

    key = secret_key(tmp_path)
    assert len(key) >= 32 and (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert secret_key(tmp_path) == key


@pytest.mark.parametrize(("https", "hsts", "secure"), [("true", "31536000", "True"), ("false", "0", "False")])
def test_https_turns_on_hsts_and_secure_cookies(tmp_path, https, hsts, secure):
    env = {"SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_HTTPS": https, "PATH": "/usr/bin:/bin"}
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "sanxiang", "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [hsts, secure, secure]


def test_the_lock_out_does_not_block_the_same_user_from_another_address(client, world):
    enrolled(world.people.officer)
    url = reverse("web:login")
    for _ in range(5):
        client.post(url, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 302 and response.url == reverse("web:second-factor")
