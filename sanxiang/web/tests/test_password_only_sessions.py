"""A session that passed the password alone (Django's admin login, a session from before two-factor login) reaches
nothing of the platform: not Django's admin, not a request body larger than the second step's form."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanxiang.core.second_factor import Outcome, code_check
from sanxiang.testing.otp import code_for, enrolled

OPERATOR_PASSWORD = "Correct-Horse-9"
CODE = "/workbench/login/code/"


@pytest.fixture
def operator(django_user_model, db):
    operator = django_user_model.objects.create_superuser("operator", password=OPERATOR_PASSWORD, full_name="运维")
    enrolled(operator)
    return operator


@pytest.mark.parametrize(
    "url",
    [
        "/django-admin/",
        "/django-admin/agencies/",
        "/django-admin/agencies/user/",
        "/django-admin/password_change/",
        "/django-admin/jsi18n/",
        "/django-admin/no-such-page/",
    ],
)
def test_the_admin_sends_a_password_only_session_to_the_second_step(operator, url):
    half = Client()
    half.force_login(operator)
    response = half.get(url)
    assert response.status_code == 302 and response.url.startswith(CODE), url


def test_the_admin_login_signs_in_with_the_password_alone_and_still_reaches_nothing(operator):
    half = Client()
    response = half.post(
        "/django-admin/login/", {"username": "operator", "password": OPERATOR_PASSWORD, "next": "/django-admin/"}
    )
    assert response.status_code == 302 and half.session["_auth_user_id"] == str(operator.pk)
    response = half.get("/django-admin/")
    assert response.status_code == 302 and response.url.startswith(CODE)
    # The admin's own login page treats the half session as anonymous: no way round to its index.
    page = half.get("/django-admin/login/")
    assert page.status_code == 200 and "operator" not in page.content.decode()


def test_after_the_second_factor_the_admin_opens(operator):
    client = Client()
    client.force_login(operator)
    assert client.post(CODE, {"code": code_for(operator.totpdevice_set.get())}).status_code == 302
    assert client.get("/django-admin/").status_code == 200


def test_a_code_check_reads_the_device_once(rf, operator):
    request = rf.post(CODE)
    code = code_for(operator.totpdevice_set.get())
    with CaptureQueriesContext(connection) as queries:
        outcome, device = code_check(request=request, user=operator, code=code)
    assert outcome is Outcome.VERIFIED and device is not None
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "otp_totp" in q["sql"]]
    assert len(reads) == 1, reads
