import pytest
from django.urls import reverse

from sanxiang.agencies import services


@pytest.mark.parametrize(
    ("persona", "sees_internal"),
    [
        ("officer", False),
        ("clerk", False),
        ("head", True),
        ("admin", True),
        ("province_admin", True),
        ("security", True),
        ("auditor", True),
        ("province_auditor", True),
    ],
)
def test_a_staff_history_shows_internal_entries_to_auditors_only(client, world, persona, sees_internal):
    services.staff_set_roles(
        actor=world.people.security, staff=world.people.clerk, roles=["publicity_clerk", "officer"]
    )
    client.force_login(getattr(world.people, persona))
    body = client.get(reverse("audit:history", args=["agencies.user", world.people.clerk.pk])).content.decode()
    assert ("调整角色" in body) is sees_internal and ("开设账号" in body) is sees_internal


def test_a_certificate_history_is_public_to_anyone_who_sees_the_certificate(client, world):
    client.force_login(world.people.officer)
    body = client.get(reverse("audit:history", args=["agencies.certificate", world.certificates.partner.pk])).content
    assert "登记执法证" in body.decode()


@pytest.mark.parametrize("path", ["agencies.user/abc", "core.calendarday/garbage", "nothing.here/1"])
def test_malformed_history_requests_are_404(client, world, path):
    client.force_login(world.people.head)
    subject_type, subject_id = path.split("/")
    assert client.get(reverse("audit:history", args=[subject_type, subject_id])).status_code == 404


def test_the_public_verify_form_refuses_malformed_numbers_without_an_error_page(client, db):
    response = client.get(reverse("portal:verify-form"), {"number": "a/b"})
    assert response.status_code == 400 and "只含数字和字母" in response.content.decode()


def test_a_history_reads_the_auditors_agencies_once_however_many_internal_entries_it_has(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.audit.selectors import history_for

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            lines = history_for(world.people.head, world.people.clerk)
        assert lines
        return len(captured)

    # one internal entry first, and one reading before counting: the personas' own lazy reads (their roles, their
    # agency) and the look-up of the actors' names happen once, however many entries follow
    services.staff_set_roles(actor=world.people.security, staff=world.people.clerk, roles=["officer"])
    queries()
    before = queries()
    for roles in (["publicity_clerk"], ["publicity_clerk", "officer"], ["officer"]):
        services.staff_set_roles(actor=world.people.security, staff=world.people.clerk, roles=roles)
    assert queries() == before


@pytest.mark.parametrize("persona", ["officer", "partner", "reviewer", "clerk", "head", "auditor"])
def test_everyone_who_may_open_a_case_reads_its_history_in_words(client, world, persona):
    from sanxiang.testing.cases import open_case, walk

    case = walk(world, open_case(world), "filed")
    client.force_login(getattr(world.people, persona))
    body = client.get(reverse("audit:history", args=["cases.case", case.pk])).content.decode()
    assert "尚无记录" not in body
    assert "立案" in body and "案源登记 → 调查取证" in body
    assert "承办人：李明、张丽华" in body
    assert "staff:" not in body and "{'" not in body and "['" not in body


def test_a_case_history_is_not_found_outside_the_agency(client, world):
    from sanxiang.testing.cases import open_case

    case = open_case(world)
    client.force_login(world.people.outsider)
    assert client.get(reverse("audit:history", args=["cases.case", case.pk])).status_code == 404


@pytest.mark.parametrize(("persona", "links"), [("officer", False), ("head", False), ("auditor", True)])
def test_a_history_links_an_entry_number_only_where_the_entry_is_served_to_the_reader(client, world, persona, links):
    import re

    from sanxiang.testing.cases import open_case, walk

    case = walk(world, open_case(world), "filed")
    client.force_login(getattr(world.people, persona))
    body = client.get(reverse("audit:history", args=["cases.case", case.pk])).content.decode()
    linked = re.findall(r'<a href="([^"]+)" title="账本条目">#', body)
    assert bool(linked) is links and ("内部账本条目" in body) is not links
    assert all(client.get(url).status_code == 200 for url in linked)
