"""Request bodies of anonymous callers are refused unread, and private answers are never cached."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sanxiang.testing.cases import open_case
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled

BOUNDARY = "sanxiang-boundary"
FORM = "application/x-www-form-urlencoded"
MULTIPART = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
    "Content-Type: video/mp4\r\n\r\n" + "x" * 4096 + f"\r\n--{BOUNDARY}--\r\n"
).encode()


def uploads() -> list[Path]:
    return list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())


def post(client, url, body: bytes, *, length: int | None = None, content_type: str, **extra):
    # The test client's FakePayload fails loudly if anything reads more of the body than it holds: a declared
    # length of a terabyte with 4 KB behind it proves the body is never read.
    return client.generic(
        "POST", url, body, content_type=content_type, CONTENT_LENGTH=str(length or len(body)), **extra
    )


@pytest.mark.parametrize("length", [None, 10**12])
def test_an_anonymous_upload_to_a_workbench_page_is_refused_before_it_is_spooled(client, world, length):
    before = uploads()
    url = reverse("evidence:case", args=[open_case(world).pk])
    response = post(client, url, MULTIPART, length=length, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
    assert uploads() == before


def test_an_anonymous_upload_to_the_api_is_refused_with_401_before_it_is_spooled(client, world):
    before = uploads()
    url = reverse("api:case-evidence", args=[open_case(world).pk])
    response = post(client, url, MULTIPART, length=10**12, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    assert uploads() == before


def test_a_huge_anonymous_body_to_a_public_page_is_refused_unread(client, db):
    response = post(
        client, reverse("web:login"), b"username=a", length=10**12, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_a_large_anonymous_multipart_body_to_a_public_page_is_refused_unread(client, db):
    before = uploads()
    response = post(
        client,
        reverse("web:login"),
        MULTIPART,
        length=10**9,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 413 and uploads() == before


def test_a_session_past_its_password_alone_uploads_nothing(world):
    half = Client()
    half.force_login(world.people.officer)  # the password alone: no second factor
    before = uploads()
    url = reverse("evidence:case", args=[open_case(world).pk])
    multipart = f"multipart/form-data; boundary={BOUNDARY}"
    response = post(half, url, MULTIPART, length=10**12, content_type=multipart)
    assert response.status_code == 302 and response.url.startswith(reverse("web:second-factor"))
    response = post(half, reverse("api:case-evidence", args=[open_case(world).pk]), MULTIPART, content_type=multipart)
    assert response.status_code == 401
    # the second step's own form is small; anything larger is refused unread there too
    huge = post(half, reverse("web:second-factor"), b"code=1", length=10**12, content_type=FORM)
    assert huge.status_code == 413
    assert uploads() == before


def test_a_session_past_its_password_alone_still_posts_its_code(world):
    device = enrolled(world.people.officer)
    half = Client()
    half.force_login(world.people.officer)
    response = half.post(reverse("web:second-factor"), {"code": code_for(device)})
    assert response.status_code == 302 and half.get(reverse("web:home")).status_code == 200


def test_a_session_past_its_password_alone_can_still_log_out(world):
    half = Client()
    half.force_login(world.people.officer)
    assert half.post(reverse("web:logout")).status_code == 302  # the test client posts multipart
    assert "_auth_user_id" not in half.session


def test_an_api_call_with_a_bad_token_is_refused_by_the_token_check_unread(client, world):
    url = reverse("api:case-evidence", args=[open_case(world).pk])
    response = post(
        client,
        url,
        MULTIPART,
        length=10**12,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )
    assert response.status_code == 401


def test_the_login_form_still_works(client, world):
    device = enrolled(world.people.officer)
    response = client.post(reverse("web:login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("web:second-factor")
    response = client.post(reverse("web:second-factor"), {"code": code_for(device)})
    assert response.status_code == 302 and response.url == reverse("web:home")


def test_a_logged_in_officer_still_uploads(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = open_case(world)
    client.force_login(world.people.officer)
    response = client.post(
        reverse("evidence:case", args=[case.pk]),
        {
            "file": SimpleUploadedFile("录像.mp4", b"video"),
            "act": "inspection",
            "kind": "video",
            "description": "现场检查录像",
        },
    )
    assert response.status_code == 302 and case.evidence_items.count() == 1


def test_private_pages_downloads_and_api_answers_are_never_cached(client, world):
    from sanxiang.testing.cases import add_evidence

    case = open_case(world)
    item = add_evidence(world, case)
    client.force_login(world.people.officer)
    for url in (
        reverse("web:home"),
        reverse("cases:case-detail", args=[case.pk]),
        reverse("evidence:download", args=[item.pk]),
        reverse("api:case-evidence", args=[case.pk]),
        reverse("api:public-decisions"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache", url


def test_an_anonymous_visitor_is_sent_to_login_with_an_uncached_answer(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Cache-Control"] == "no-store"


def test_public_portal_pages_keep_their_caching(client, world):
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and "no-store" not in home.get("Cache-Control", "")
    assert "no-store" not in client.get(reverse("public-laws:index")).get("Cache-Control", "")
    qr = client.get(reverse("portal:verify-officer-qr", args=[world.certificates.officer.number]))
    assert qr["Cache-Control"] == "public, max-age=86400"
