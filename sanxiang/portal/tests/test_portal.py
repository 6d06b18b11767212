import io

import segno
from django.test import override_settings
from django.urls import reverse

from sanxiang.agencies import services
from sanxiang.agencies.models import Certificate
from sanxiang.testing.factories import make_certificate, make_staff


def test_a_valid_certificate_is_confirmed_to_anyone(client, world):
    response = client.get(reverse("portal:verify-officer", args=[world.certificates.officer.number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "有效：持证人可依法从事行政执法活动" in body and "李明" in body and "哈尔滨市生态环境局" in body


def test_a_revoked_certificate_is_shown_as_revoked_prominently(client, world):
    services.certificate_revoke(actor=None, certificate=world.certificates.officer, reason="调离执法岗位")
    body = client.get(reverse("portal:verify-officer", args=[world.certificates.officer.number])).content.decode()
    assert 'class="banner bad" role="alert">此执法证已被吊销' in body
    assert "调离执法岗位" not in body  # the internal reason is not published


def test_a_suspended_and_an_expired_certificate_say_so(client, world):
    services.certificate_suspend(actor=None, certificate=world.certificates.officer, reason="调查")
    assert (
        "已被暂扣"
        in client.get(reverse("portal:verify-officer", args=[world.certificates.officer.number])).content.decode()
    )
    Certificate.objects.filter(pk=world.certificates.partner.pk).update(expires_on="2020-01-01", issued_on="2015-01-01")
    assert (
        "已过有效期"
        in client.get(reverse("portal:verify-officer", args=[world.certificates.partner.number])).content.decode()
    )


def test_an_unknown_number_is_a_404_page_that_says_it_is_not_registered(client, db):
    response = client.get(reverse("portal:verify-officer", args=["230100999999"]))
    assert response.status_code == 404
    assert "证件编号“230100999999”未在本平台登记" in response.content.decode()


def test_the_form_redirects_to_the_check_page(client, db):
    response = client.get(reverse("portal:verify-form"), {"number": " 230100000001 "})
    assert response.status_code == 302 and response.url == reverse("portal:verify-officer", args=["230100000001"])


@override_settings(PUBLIC_URL="https://zfgs.sthj.hlj.gov.cn")
def test_the_qr_code_encodes_the_public_check_address(client, world):
    number = world.certificates.officer.number
    response = client.get(reverse("portal:verify-officer-qr", args=[number]))
    expected = io.BytesIO()
    segno.make(f"https://zfgs.sthj.hlj.gov.cn/verify/officer/{number}/", error="m").save(
        expected, kind="svg", scale=8, border=2
    )
    assert response["Content-Type"] == "image/svg+xml" and response.content == expected.getvalue()
    png = client.get(reverse("portal:verify-officer-qr-png", args=[number]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_the_officer_list_shows_only_certificates_valid_today(client, world):
    suspended = make_certificate(holder=make_staff(agency=world.harbin, roles=["officer"], full_name="周停证"))
    services.certificate_suspend(actor=None, certificate=suspended, reason="调查")
    body = client.get(reverse("portal:agency", args=["230100"])).content.decode()
    assert "李明" in body and world.certificates.officer.number in body
    assert "周停证" not in body and world.certificates.outsider.number not in body


def test_every_portal_page_is_public(client, world):
    for url in [
        reverse("portal:home"),
        reverse("portal:officers"),
        reverse("portal:agency", args=["230100"]),
        reverse("portal:verify-form"),
        reverse("healthz"),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_revocation_shows_at_once_even_after_the_page_was_cached(client, world):
    url = reverse("portal:verify-officer", args=[world.certificates.officer.number])
    assert "有效：" in client.get(url).content.decode()
    services.certificate_revoke(actor=None, certificate=world.certificates.officer, reason="调离")
    assert "此执法证已被吊销" in client.get(url).content.decode()


def test_the_check_page_sets_no_cookie_and_carries_no_csrf_token(client, world):
    response = client.get(reverse("portal:verify-officer", args=[world.certificates.officer.number]))
    assert not response.cookies and "csrf" not in response.content.decode().lower()
