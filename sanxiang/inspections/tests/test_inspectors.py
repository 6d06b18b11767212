"""The inspector directory (执法检查人员名录库): who an agency may draw to inspect today — a certificate valid today,
an account in use — for staff and, with what the public officer list shows, for anyone."""

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies.models import Role
from sanxiang.agencies.services import certificate_suspend
from sanxiang.inspections.selectors import inspectors
from sanxiang.testing.factories import make_certificate, make_staff


def _names(world, agency=None) -> list[str]:
    return sorted(c.holder.full_name for c in inspectors(agency or world.harbin, today=dt.date.today()))


def test_the_directory_holds_valid_certificates_of_active_accounts_only(world):
    today = dt.date.today()
    expired = make_staff(agency=world.harbin, roles=[Role.OFFICER], full_name="过期人员")
    make_certificate(holder=expired, issued_on=today - dt.timedelta(days=800), expires_on=today - dt.timedelta(days=1))
    left = make_staff(agency=world.harbin, roles=[Role.OFFICER], full_name="离职人员")
    make_certificate(holder=left)
    left.is_active = False
    left.save(update_fields=["is_active"])
    suspended = make_staff(agency=world.harbin, roles=[Role.OFFICER], full_name="暂扣人员")
    certificate_suspend(actor=None, certificate=make_certificate(holder=suspended), reason="调查期间")
    assert _names(world) == ["张丽华", "李明"]
    assert _names(world, world.qiqihar) == [world.people.outsider.full_name]


def test_staff_read_the_directory_of_the_agencies_they_see(client, world):
    client.force_login(world.people.reviewer)
    page = client.get(reverse("inspections:inspectors")).content.decode()
    assert "李明" in page and world.certificates.officer.number in page
    page = client.get(reverse("inspections:inspectors"), {"agency": world.qiqihar.pk}).content.decode()
    assert world.people.outsider.full_name not in page  # outside the reviewer's scope: the choice is refused
    api = APIClient()
    api.force_authenticate(world.people.reviewer)
    assert api.get(f"/api/v1/agencies/{world.qiqihar.pk}/inspectors/").status_code == 404
    listed = api.get(f"/api/v1/agencies/{world.harbin.pk}/inspectors/").json()
    assert sorted(row["full_name"] for row in listed) == ["张丽华", "李明"]


def test_anyone_reads_an_agencys_inspectors_with_no_more_than_the_officer_list_shows(client, world):
    response = client.get(reverse("portal:inspectors", args=[world.harbin.code]))
    page = response.content.decode()
    assert response.status_code == 200 and "李明" in page and world.certificates.officer.number in page
    public = APIClient().get(f"/api/v1/public/agencies/{world.harbin.code}/inspectors/").json()
    assert set(public[0]) == {"full_name", "certificate", "domain", "expires_on"}
