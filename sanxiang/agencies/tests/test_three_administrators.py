"""三员分立: the system, security and audit administrators are three people, and each keeps to their own work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sanxiang.agencies import services
from sanxiang.agencies.models import Role, RoleAssignment, User
from sanxiang.api.models import ApiToken
from sanxiang.api.services import api_token_create
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import make_staff

PASSWORD = "a-long-enough-secret-2026"


def entries(action, staff):
    return Entry.objects.filter(action=action, subject_type="agencies.user", subject_id=str(staff.pk))


@pytest.mark.parametrize(
    "roles",
    [
        [Role.ADMIN, Role.SECURITY_ADMIN],
        [Role.ADMIN, Role.AUDIT_ADMIN],
        [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
        [Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.HEAD],
    ],
)
def test_an_account_opened_with_two_administrator_roles_is_refused_and_leaves_nothing(world, roles):
    count = Entry.objects.filter(action="staff.create").count()
    with pytest.raises(ValidationError) as refused:
        services.staff_create(
            actor=world.people.security,
            agency=world.harbin,
            username="twohats",
            full_name="两顶帽子",
            password=PASSWORD,
            roles=roles,
        )
    assert "三员分立" in refused.value.message_dict["roles"][0]
    assert not User.objects.filter(username="twohats").exists()
    assert Entry.objects.filter(action="staff.create").count() == count


@pytest.mark.parametrize(
    ("persona", "added"),
    [
        ("admin", Role.SECURITY_ADMIN),
        ("admin", Role.AUDIT_ADMIN),
        ("auditor", Role.ADMIN),
        ("security", Role.AUDIT_ADMIN),
    ],
)
def test_a_second_administrator_role_is_refused_and_the_roles_stay(world, persona, added):
    staff = getattr(world.people, persona)
    before = set(staff.roles)
    count = Entry.objects.filter(action="staff.roles").count()
    with pytest.raises(ValidationError, match="同一账号只能担任其中一个角色"):
        services.staff_set_roles(actor=world.people.province_security, staff=staff, roles=before | {added})
    assert User.objects.get(pk=staff.pk).roles == before
    assert Entry.objects.filter(action="staff.roles").count() == count


def test_an_administrator_may_also_hold_a_working_role(world):
    staff = services.staff_set_roles(
        actor=world.people.security, staff=world.people.auditor, roles=[Role.AUDIT_ADMIN, Role.OFFICER]
    )
    assert staff.roles == {Role.AUDIT_ADMIN, Role.OFFICER}


def test_the_database_refuses_a_second_administrator_role_written_around_the_service(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world.people.admin, role=Role.AUDIT_ADMIN)
    assert User.objects.get(pk=world.people.admin.pk).roles == {Role.ADMIN}


@pytest.mark.parametrize("persona", ["admin", "auditor", "head", "province_admin", "province_auditor"])
def test_only_a_security_administrator_may_call_the_account_services(world, persona):
    actor = getattr(world.people, persona)
    clerk = world.people.clerk
    calls = [
        lambda: services.staff_create(
            actor=actor, agency=world.harbin, username="newbie", full_name="新人", password=PASSWORD
        ),
        lambda: services.staff_update(actor=actor, staff=clerk, job_title="科长"),
        lambda: services.staff_set_roles(actor=actor, staff=clerk, roles=[Role.OFFICER]),
        lambda: services.staff_set_active(actor=actor, staff=clerk, active=False),
        lambda: services.staff_set_password(actor=actor, staff=clerk, password=PASSWORD),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="安全管理员"):
            call()
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.is_active and clerk.roles == {Role.PUBLICITY_CLERK} and not clerk.must_change_password
    assert not User.objects.filter(username="newbie").exists()
    assert (
        not Entry.objects.filter(subject_type="agencies.user", subject_id=str(clerk.pk))
        .exclude(action="staff.create")
        .exists()
    )


def test_the_security_administrator_runs_the_accounts_through_the_pages(client, world):
    client.force_login(world.people.security)
    response = client.post(
        reverse("agencies:staff-create", args=[world.harbin.pk]),
        {"username": "hrb.new", "full_name": "新同事", "password": PASSWORD, "roles": ["officer"]},
    )
    staff = User.objects.get(username="hrb.new")
    assert response.status_code == 302 and staff.roles == {Role.OFFICER}
    assert staff.must_change_password  # a password someone else chose
    assert entries("staff.create", staff).get().actor == f"staff:{world.people.security.pk}"
    client.post(reverse("agencies:staff-roles", args=[staff.pk]), {"roles": ["officer", "head"]})
    assert User.objects.get(pk=staff.pk).roles == {Role.OFFICER, Role.HEAD}
    client.post(reverse("agencies:staff-active", args=[staff.pk]), {"active": "0"})
    assert not User.objects.get(pk=staff.pk).is_active
    assert entries("staff.roles", staff).exists() and entries("staff.deactivate", staff).exists()


def test_a_province_security_administrator_manages_the_cities_below(client, world):
    client.force_login(world.people.province_security)
    response = client.post(reverse("agencies:staff-password", args=[world.people.outsider.pk]), {"password": PASSWORD})
    assert response.status_code == 302
    outsider = User.objects.get(pk=world.people.outsider.pk)
    assert outsider.check_password(PASSWORD) and outsider.must_change_password
    assert entries("staff.password", outsider).get().actor == f"staff:{world.people.province_security.pk}"


@pytest.mark.parametrize("persona", ["admin", "province_admin", "auditor", "head"])
def test_the_system_administrator_no_longer_manages_accounts(client, world, persona):
    client.force_login(getattr(world.people, persona))
    clerk = world.people.clerk
    assert client.get(reverse("agencies:staff-create", args=[world.harbin.pk])).status_code == 403
    assert client.post(reverse("agencies:staff-password", args=[clerk.pk]), {"password": PASSWORD}).status_code == 403
    assert client.post(reverse("agencies:staff-roles", args=[clerk.pk]), {"roles": ["head"]}).status_code == 403
    assert client.post(reverse("agencies:staff-active", args=[clerk.pk]), {"active": "0"}).status_code == 403
    page = client.get(reverse("agencies:staff-detail", args=[clerk.pk])).content.decode()
    assert "重设密码" not in page and "更新角色" not in page
    assert not User.objects.get(pk=clerk.pk).check_password(PASSWORD)


def test_the_security_administrator_revokes_a_staff_members_token_and_the_system_administrator_cannot(client, world):
    token, raw = api_token_create(actor=world.people.officer, user=world.people.officer, name="执法记录仪同步")
    url = reverse("agencies:staff-token-revoke", args=[world.people.officer.pk, token.pk])
    client.force_login(world.people.admin)
    assert client.post(url).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    client.force_login(world.people.security)
    page = client.get(reverse("agencies:staff-detail", args=[world.people.officer.pk])).content.decode()
    assert token.prefix in page and "执法记录仪同步" in page and "只读" in page
    assert client.post(url).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    entry = Entry.objects.get(action="api_token.revoke", subject_id=str(token.pk))
    assert entry.actor == f"staff:{world.people.security.pk}"
    assert client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_token_of_somebody_else_is_not_revoked_through_another_staff_page(client, world):
    token, _raw = api_token_create(actor=world.people.outsider, user=world.people.outsider, name="phone")
    client.force_login(world.people.security)
    response = client.post(reverse("agencies:staff-token-revoke", args=[world.people.officer.pk, token.pk]))
    assert response.status_code == 302 and ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_audit_link_is_offered_to_the_audit_administrator_only(client, world):
    for persona, shown in [("auditor", True), ("admin", False), ("head", False), ("security", False)]:
        client.force_login(getattr(world.people, persona))
        assert (reverse("audit:audit") in client.get(reverse("web:home")).content.decode()) is shown


def test_the_demo_gives_the_province_and_harbin_all_three_administrators():
    from sanxiang.demo.agencies import STAFF

    by_agency = {}
    for _username, _name, code, roles, _title, _qualified in STAFF:
        for role in roles:
            by_agency.setdefault(code, set()).add(role)
        assert sum(role in (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN) for role in roles) <= 1
    for code in ("230000", "230100", "230200"):
        assert {Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN} <= by_agency[code]


def test_make_staff_is_not_forced_to_change_a_password_no_person_chose(world):
    assert not make_staff(agency=world.harbin).must_change_password
