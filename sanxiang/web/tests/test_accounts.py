"""The holder's own password, its forced change (after an administrator's reset, at its age) and the session's
idle and absolute limits."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from rest_framework.test import APIClient

from sanxiang.agencies import services
from sanxiang.agencies.models import User
from sanxiang.api.services import api_token_create
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled

NEW = "spring-river-lantern-42"


def change(client, old, new, repeat=None):
    return client.post(reverse("web:password-change"), {"old": old, "new": new, "repeat": repeat or new})


def login(client, username, password=PASSWORD):
    """Both factors, as a real login: the password, then the code of the account's authenticator."""
    device = enrolled(User.objects.get(username=username))
    response = client.post(reverse("web:login"), {"username": username, "password": password})
    if response.status_code == 302 and response.url == reverse("web:second-factor"):
        response = client.post(reverse("web:second-factor"), {"code": code_for(device)})
    return response


def test_the_holder_changes_their_password_and_the_ledger_keeps_no_secret(client, world):
    officer = world.people.officer
    _token, raw = api_token_create(actor=officer, user=officer, name="phone")
    client.force_login(officer)
    assert "修改密码" in client.get(reverse("web:home")).content.decode()
    response = change(client, PASSWORD, NEW)
    assert response.status_code == 302 and response.url == reverse("web:home")
    officer = User.objects.get(pk=officer.pk)
    assert officer.check_password(NEW) and officer.password_changed_at is not None
    assert client.get(reverse("web:home")).status_code == 200  # the session survives its own change
    entry = Entry.objects.get(action="staff.password_change", subject_id=str(officer.pk))
    body = bytes(entry.body).decode()
    assert entry.actor == f"staff:{officer.pk}" and not entry.public
    assert NEW not in body and PASSWORD not in body and officer.password not in body and "argon2" not in body
    assert APIClient().get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.parametrize(
    ("old", "new", "repeat", "field", "message"),
    [
        ("wrong-password-1", NEW, NEW, "old", "原密码不正确"),
        (PASSWORD, "short", "short", "new", "10"),
        (PASSWORD, "1234567890123", "1234567890123", "new", "只包含数字"),
        (PASSWORD, "password123456", "password123456", "new", "太常见"),
        (PASSWORD, PASSWORD, PASSWORD, "new", "不能与原密码相同"),
        (PASSWORD, NEW, NEW + "x", "repeat", "不一致"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(client, world, old, new, repeat, field, message):
    client.force_login(world.people.officer)
    response = change(client, old, new, repeat)
    assert response.status_code == 200
    assert message in " ".join(str(error) for error in response.context["form"].errors[field])
    assert User.objects.get(pk=world.people.officer.pk).check_password(PASSWORD)
    assert not Entry.objects.filter(action="staff.password_change").exists()


LATIN = re.compile(r"[A-Za-z]")


@pytest.mark.parametrize("new", ["short", "officer-li", "1234567890123", "password123456"])
def test_every_password_rule_speaks_chinese_on_the_page_and_from_the_service(client, world, new):
    officer = world.people.officer
    client.force_login(officer)
    response = change(client, PASSWORD, new)
    messages = [str(error) for error in response.context["form"].errors["new"]]
    assert messages and not any(LATIN.search(message) for message in messages), messages
    assert not LATIN.search(strip_tags(str(password_validators_help_text_html())))
    with pytest.raises(ValidationError) as refused:
        services.staff_create(
            actor=world.people.security, agency=officer.agency, username="officer-li", full_name="李新", password=new
        )
    assert not any(LATIN.search(message) for message in refused.value.message_dict["password"])


def test_after_a_reset_the_next_login_leads_to_the_change_page_and_nowhere_else(client, world):
    services.staff_set_password(actor=world.people.security, staff=world.people.officer, password="temporary-pass-7788")
    response = login(client, "officer", "temporary-pass-7788")
    assert response.status_code == 302
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url == reverse("web:password-change")
    for url in [reverse("cases:case-list"), reverse("agencies:staff-list"), reverse("audit:audit")]:
        refused = client.get(url)
        assert refused.status_code == 302 and refused.url == reverse("web:password-change")
    api = client.get("/api/v1/agencies/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"
    page = client.get(reverse("web:password-change")).content.decode()
    assert "由管理员设置" in page
    token = APIClient().post(
        "/api/v1/auth/token",
        {"username": "officer", "password": "temporary-pass-7788", "code": code_for(enrolled(world.people.officer))},
        format="json",
    )
    assert token.status_code == 403 and token.json()["error"]["code"] == "password_change_required"
    change(client, "temporary-pass-7788", NEW)
    officer = User.objects.get(pk=world.people.officer.pk)
    assert not officer.must_change_password
    assert client.get(reverse("cases:case-list")).status_code == 200
    assert b'"due":"reset"' in bytes(Entry.objects.get(action="staff.password_change").body)


def test_a_password_older_than_the_configured_age_must_be_changed(client, world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    officer = world.people.officer
    joined = officer.date_joined
    with time_machine.travel(joined + dt.timedelta(days=89, hours=23), tick=False):
        client.force_login(officer)
        assert client.get(reverse("web:home")).status_code == 200
    with time_machine.travel(joined + dt.timedelta(days=90, minutes=1), tick=False):
        client.force_login(officer)
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and response.url == reverse("web:password-change")
        assert "已到期" in client.get(reverse("web:password-change")).content.decode()
        _token, raw = api_token_create(actor=officer, user=officer, name="phone")
        refused = APIClient().get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert refused.status_code == 401 and "过期" in refused.json()["error"]["message"]
        change(client, PASSWORD, NEW)
        assert client.get(reverse("web:home")).status_code == 200
        assert b'"due":"expired"' in bytes(Entry.objects.get(action="staff.password_change").body)
    with time_machine.travel(joined + dt.timedelta(days=179), tick=False):
        client.force_login(User.objects.get(pk=officer.pk))
        assert client.get(reverse("web:home")).status_code == 200  # counted from the change, not from joining
    settings.PASSWORD_MAX_AGE_DAYS = 0
    with time_machine.travel(joined + dt.timedelta(days=3650), tick=False):
        assert User.objects.get(pk=officer.pk).password_change_reason() == ""


def test_an_idle_session_ends_with_a_chinese_message_on_the_login_page(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "officer")
        assert client.get(reverse("web:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("web:home")).status_code == 200  # activity keeps it alive
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get(reverse("web:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get(reverse("cases:case-list"))
        assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
        assert "next=" in response.url
        page = client.get(response.url).content.decode()
        assert "30 分钟未操作" in page and "已自动退出" in page
        assert client.get(reverse("web:home")).status_code == 302  # the session is gone, not only hidden


def test_a_busy_session_still_ends_at_its_absolute_age(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "officer")
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("web:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1), tick=False):
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
        assert "超过 12 小时" in client.get(response.url).content.decode()


def test_with_the_idle_limit_off_a_quiet_session_lasts(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 0
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "officer")
        client.get(reverse("web:home"))
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        assert client.get(reverse("web:home")).status_code == 200


def test_the_password_page_fits_a_phone(client, world):
    client.force_login(world.people.officer)
    body = client.get(reverse("web:password-change")).content.decode()
    assert 'name="viewport"' in body and 'autocomplete="new-password"' in body
