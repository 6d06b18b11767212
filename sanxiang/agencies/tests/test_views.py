"""Every workbench page tried by every persona: 200/302 where allowed, 403 where visible but read-only, 404 outside."""

import pytest
import time_machine
from django.urls import reverse

from sanxiang.agencies import services
from sanxiang.agencies.models import Certificate, CertificateStatus, ServiceWindow, User

HARBIN = [
    "officer",
    "reviewer",
    "head",
    "clerk",
    "admin",
    "security",
    "auditor",
    "province_admin",
    "province_security",
    "province_auditor",
]
SYSTEM_ADMINS = ["admin", "province_admin"]
SECURITY_ADMINS = ["security", "province_security"]
# 三员分立: the system administrator's pages are read-only to the security and audit administrators, and the
# security administrator's (accounts) to the system and audit administrators.
READ_ONLY = [persona for persona in HARBIN if persona not in SYSTEM_ADMINS]
ACCOUNTS_READ_ONLY = [persona for persona in HARBIN if persona not in SECURITY_ADMINS]


def page(name, *args):
    def url(world):
        return reverse(name, args=[arg(world) for arg in args])

    url.__name__ = name
    return url


harbin = lambda world: world.harbin.pk  # noqa: E731
officer_staff = lambda world: world.people.officer.pk  # noqa: E731
officer_certificate = lambda world: world.certificates.officer.pk  # noqa: E731

# (url, allowed personas, personas that get 403; everybody else logged in gets 404)
GET_PAGES = [
    (page("web:home"), HARBIN + ["outsider"], []),
    (page("agencies:agency-list"), HARBIN + ["outsider"], []),
    (page("agencies:staff-list"), HARBIN + ["outsider"], []),
    (page("agencies:certificate-list"), HARBIN + ["outsider"], []),
    (page("web:calendar"), HARBIN + ["outsider"], []),
    (page("agencies:agency-detail", harbin), HARBIN, []),
    (page("agencies:agency-edit", harbin), ["admin", "province_admin"], READ_ONLY),
    (
        page("agencies:agency-decision-details", harbin),
        ["head", "province_admin"],
        [persona for persona in HARBIN if persona not in ("head", "province_admin")],
    ),
    (page("agencies:agency-create", harbin), ["admin", "province_admin"], READ_ONLY),
    (page("agencies:window-create", harbin), ["admin", "province_admin"], READ_ONLY),
    (page("agencies:staff-create", harbin), SECURITY_ADMINS, ACCOUNTS_READ_ONLY),
    (page("agencies:staff-detail", officer_staff), HARBIN, []),
    (page("agencies:certificate-issue", officer_staff), ["admin", "province_admin"], READ_ONLY),
    (page("agencies:certificate-detail", officer_certificate), HARBIN, []),
]


@pytest.mark.parametrize("persona", HARBIN + ["outsider"])
@pytest.mark.parametrize(("url", "allowed", "forbidden"), GET_PAGES, ids=[row[0].__name__ for row in GET_PAGES])
def test_each_persona_sees_what_its_agency_may(client, world, persona, url, allowed, forbidden):
    client.force_login(getattr(world.people, persona))
    expected = 200 if persona in allowed else 403 if persona in forbidden else 404
    assert client.get(url(world)).status_code == expected


@pytest.mark.parametrize(("url", "allowed", "forbidden"), GET_PAGES, ids=[row[0].__name__ for row in GET_PAGES])
def test_anonymous_users_are_sent_to_the_login_page(client, world, url, allowed, forbidden):
    response = client.get(url(world))
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


@pytest.mark.parametrize("persona", HARBIN + ["outsider"])
def test_only_administrators_in_scope_can_suspend_a_certificate(client, world, persona):
    client.force_login(getattr(world.people, persona))
    url = reverse("agencies:certificate-suspend", args=[world.certificates.officer.pk])
    response = client.post(url, {"reason": "调查期间暂扣"})
    status = Certificate.objects.get(pk=world.certificates.officer.pk).status
    if persona in ("admin", "province_admin"):
        assert response.status_code == 302 and status == CertificateStatus.SUSPENDED
    else:
        assert response.status_code == (403 if persona in READ_ONLY else 404)
        assert status == CertificateStatus.VALID


@pytest.mark.parametrize("persona", HARBIN + ["outsider"])
def test_only_security_administrators_in_scope_can_change_roles(client, world, persona):
    client.force_login(getattr(world.people, persona))
    response = client.post(reverse("agencies:staff-roles", args=[world.people.clerk.pk]), {"roles": ["officer"]})
    roles = User.objects.get(pk=world.people.clerk.pk).role_assignments.values_list("role", flat=True)
    if persona in SECURITY_ADMINS:
        assert response.status_code == 302 and list(roles) == ["officer"]
    else:
        assert response.status_code == (403 if persona in ACCOUNTS_READ_ONLY else 404)
        assert list(roles) == ["publicity_clerk"]


def test_an_admin_issues_a_certificate_through_the_form(client, world):
    client.force_login(world.people.admin)
    holder = world.people.clerk
    services.staff_set_roles(actor=world.people.security, staff=holder, roles=["officer", "publicity_clerk"])
    response = client.post(
        reverse("agencies:certificate-issue", args=[holder.pk]),
        {"number": "230100269999", "domain": "ecology", "issued_on": "2026-01-05", "expires_on": "2031-01-04"},
    )
    certificate = Certificate.objects.get(number="230100269999")
    assert response.status_code == 302 and response.url == reverse("agencies:certificate-detail", args=[certificate.pk])
    assert certificate.holder == holder and certificate.agency == world.harbin


def test_a_duplicate_certificate_number_shows_a_chinese_error_and_saves_nothing(client, world):
    client.force_login(world.people.admin)
    holder = world.people.clerk
    services.staff_set_roles(actor=world.people.security, staff=holder, roles=["officer"])
    response = client.post(
        reverse("agencies:certificate-issue", args=[holder.pk]),
        {
            "number": world.certificates.officer.number,
            "domain": "ecology",
            "issued_on": "2026-01-05",
            "expires_on": "2031-01-04",
        },
    )
    assert response.status_code == 200
    assert "已被登记" in response.content.decode()
    assert not Certificate.objects.filter(holder=holder).exists()


def test_an_admin_adds_a_service_window(client, world):
    client.force_login(world.people.admin)
    response = client.post(
        reverse("agencies:window-create", args=[world.harbin.pk]),
        {
            "name": "行政审批窗口",
            "location": "市民大厦 12 号",
            "opening_hours": "工作日 9:00-17:00",
            "posts": "受理岗",
            "sample_forms": "",
            "progress_query": "政务服务网",
            "consultation": "电话",
            "complaint": "12345",
            "order": 0,
        },
    )
    assert response.status_code == 302
    assert ServiceWindow.objects.get(agency=world.harbin).name == "行政审批窗口"


def test_calendar_edits_are_for_province_administrators(client, world):
    client.force_login(world.people.admin)
    assert client.post(reverse("web:calendar-day"), {"day": "2027-01-01", "kind": "holiday"}).status_code == 403
    client.force_login(world.people.province_admin)
    assert client.post(reverse("web:calendar-day"), {"day": "2027-01-01", "kind": "holiday"}).status_code == 302
    from sanxiang.core.models import CalendarDay

    assert CalendarDay.objects.filter(date="2027-01-01", kind="holiday").exists()


def test_the_calendar_page_of_a_year_not_confirmed_lists_the_statutory_holidays_its_deadlines_rest_on(client, world):
    client.force_login(world.people.officer)
    page = client.get(reverse("web:calendar"), {"year": 2030}).content.decode()
    assert "2030-02-02 星期六</td><td>春节" in page and "2030-10-03 星期四</td><td>国庆节" in page
    assert "国务院令第795号" in page
    assert "法定节假日</h2>" not in client.get(reverse("web:calendar"), {"year": 2026}).content.decode()


def test_the_home_page_lists_certificates_expiring_within_60_days(client, world):
    Certificate.objects.filter(pk=world.certificates.partner.pk).update(expires_on="2026-12-20")
    client.force_login(world.people.head)
    with time_machine.travel("2026-11-26 09:00 +0800"):
        body = client.get(reverse("web:home")).content.decode()
    assert world.certificates.partner.number in body and "剩 24 天" in body
    assert world.certificates.officer.number not in body


@pytest.mark.parametrize(("persona", "linked"), [("admin", False), ("province_admin", True)])
def test_the_parent_agency_is_linked_only_for_those_who_may_open_it(client, world, persona, linked):
    client.force_login(getattr(world.people, persona))
    body = client.get(reverse("agencies:agency-detail", args=[world.harbin.pk])).content.decode()
    assert world.province.name in body
    assert (reverse("agencies:agency-detail", args=[world.province.pk]) in body) is linked
