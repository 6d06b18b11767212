"""The publicity pages offer a step only to those the services accept (the agency's publicity clerks and heads):
every other persona sees no link or button to it, and is refused if it posts anyway."""

import pytest

from sanxiang.agencies.models import Role
from sanxiang.publicity.models import Publication
from sanxiang.publicity.selectors import acts_for
from sanxiang.testing.factories import make_staff
from sanxiang.testing.publicity import decided, published

ENTER, IMPORT = "/workbench/opendata/licences/new", "/workbench/opendata/import"
# who may do 哈尔滨's publicity: its clerk and its head; the province's head would too, none here
ACTING = {"clerk", "head"}
SEEING = ["officer", "partner", "reviewer", "counsel", "clerk", "head", "admin", "security", "county_officer"]


@pytest.mark.parametrize("persona", SEEING)
def test_the_desk_links_to_entry_and_import_only_for_those_who_may(client, world, persona):
    user = getattr(world.people, persona)
    client.force_login(user)
    page = client.get("/workbench/publicity/").content.decode()
    may = persona in ACTING
    assert (ENTER in page, IMPORT in page) == (may, may), persona
    assert client.get(ENTER).status_code == (200 if may else 403)
    assert client.get(IMPORT).status_code == (200 if may else 403)


@pytest.mark.parametrize("persona", SEEING)
def test_a_publication_offers_its_steps_only_to_those_who_may(client, world, persona):
    draft, shown = decided(world), published(world)
    user = getattr(world.people, persona)
    client.force_login(user)
    for publication, step in ((draft, "redact"), (draft, "withhold"), (shown, "correct"), (shown, "withdraw")):
        page = client.get(f"/workbench/publicity/{publication.pk}/")
        if page.status_code == 404:  # a branch's officer does not see the city's records at all
            assert not acts_for(user, publication.agency)
            continue
        action = f"/workbench/publicity/{publication.pk}/{step}"
        assert (action in page.content.decode()) == (persona in ACTING), (persona, step)
        if persona not in ACTING:
            version = Publication.objects.get(pk=publication.pk).version
            assert client.post(action, {"version": version, "reason": "试"}).status_code == 403
    assert Publication.objects.get(pk=shown.pk).status == Publication.Status.PUBLISHED


def test_the_province_head_is_offered_a_city_record_and_the_province_admin_is_not(client, world):
    head = make_staff(agency=world.province, roles=[Role.HEAD], username="provhead")
    publication = decided(world)
    action = f"/workbench/publicity/{publication.pk}/redact"
    client.force_login(head)
    assert action in client.get(f"/workbench/publicity/{publication.pk}/").content.decode()
    client.force_login(world.people.province_admin)
    page = client.get(f"/workbench/publicity/{publication.pk}/")
    assert page.status_code == 200 and action not in page.content.decode()
