"""Workflow actions, one table per record type for its page and API v1: the page offers the steps the state allows
and the user's roles permit; a step the form or the service refuses shows the page again with what was typed and
why; an unknown step is 404, a step outside the user's roles 403."""

import datetime as dt

from django.urls import reverse

from sanxiang.agencies.actions import CERTIFICATES
from sanxiang.agencies.models import Certificate, CertificateStatus
from sanxiang.cases.actions import WORKFLOW
from sanxiang.cases.models import Stage
from sanxiang.testing.cases import FILED, at, open_case


def test_a_refused_step_shows_the_page_again_with_what_was_typed_and_why(client, world):
    certificate = world.certificates.officer
    client.force_login(world.people.admin)
    response = client.post(
        reverse("agencies:certificate-renew", args=[certificate.pk]),
        {"expires_on": certificate.expires_on - dt.timedelta(days=1), "reason": "到期换证 2026"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "新的有效期截止日期必须晚于原截止日期" in body and "到期换证 2026" in body
    assert Certificate.objects.get(pk=certificate.pk).expires_on == certificate.expires_on


def test_an_accepted_step_goes_back_to_the_record_with_a_message(client, world):
    client.force_login(world.people.admin)
    response = client.post(
        reverse("agencies:certificate-suspend", args=[world.certificates.officer.pk]),
        {"reason": "调查期间暂扣"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "agencies:certificate-detail", args=[world.certificates.officer.pk]
    )
    assert "已暂扣执法证。" in response.content.decode()
    assert Certificate.objects.get(pk=world.certificates.officer.pk).status == CertificateStatus.SUSPENDED


def test_the_page_offers_the_steps_the_state_allows_and_the_roles_permit(world):
    case = open_case(world)
    assert [action.name for action in WORKFLOW.offered(world.people.head, case)] == [
        "file",
        "not_file",
        "extend_filing",
        "transfer",
    ]
    assert "file" not in [action.name for action in WORKFLOW.offered(world.people.officer, case)]
    offered = [action.name for action in CERTIFICATES.offered(world.people.admin, world.certificates.officer)]
    assert offered == ["suspend", "renew", "revoke"]


def test_an_unknown_step_is_not_found_and_one_outside_the_roles_forbidden(client, world):
    case = open_case(world)
    client.force_login(world.people.officer)
    assert client.post(reverse("cases:case-action", args=[case.pk, "no_such_step"])).status_code == 404
    with at(FILED):
        response = client.post(reverse("cases:case-action", args=[case.pk, "file"]), {"version": case.version})
    assert response.status_code == 403 and case.__class__.objects.get(pk=case.pk).stage == Stage.CLUE


def test_the_api_serves_the_same_steps_with_the_same_refusals(client, world):
    client.force_login(world.people.admin)
    url = f"/api/v1/certificates/{world.certificates.officer.pk}/renew"
    response = client.post(url, {"expires_on": "2020-01-01"}, content_type="application/json")
    assert response.status_code == 400 and "expires_on" in response.json()["error"]["fields"]
    assert (
        client.post(
            f"/api/v1/certificates/{world.certificates.officer.pk}/suspend",
            {"reason": "调查"},
            content_type="application/json",
        ).json()["status"]
        == CertificateStatus.SUSPENDED
    )
