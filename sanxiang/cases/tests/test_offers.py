"""What the cases pages offer each persona is what it may do: 登记案源 to officers and heads, 开始现场检查 and 当场处罚
to officers (查审分离: never to reviewers, publicity clerks or the three administrators), the completion of an open
inspection to its own officers. The page behind each link answers 403 to whoever is not offered it: the offer and the
gate read the same table (cases.actions.BEGINNINGS)."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.agencies.models import Role
from sanxiang.cases import services
from sanxiang.cases.models import Case, Inspection, OnSitePenalty
from sanxiang.core.calendar import earlier_today
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import make_party
from sanxiang.testing.factories import make_certificate, make_staff
from sanxiang.testing.signatures import inspection_record

BEGUN = {
    "cases:case-open": ({"officer", "head"}, Case),
    "cases:inspection-start": ({"officer"}, Inspection),
    "cases:onsite-penalty": ({"officer"}, OnSitePenalty),
}
PERSONAS = ["officer", "head", "reviewer", "clerk", "admin", "security", "auditor"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_record_is_begun_only_from_a_link_the_persona_may_follow(client, world, persona):
    client.force_login(getattr(world.people, persona))
    lists = "".join(
        client.get(reverse(name)).content.decode()
        for name in ("cases:case-list", "cases:inspection-list", "cases:onsite-list")
    )
    party = make_party(world.harbin)
    for name, (roles, model) in BEGUN.items():
        url, offered = reverse(name), persona in roles
        assert (f'href="{url}"' in lists) is offered, (persona, name)
        assert client.get(url).status_code == (200 if offered else 403), (persona, name)
        if not offered:
            assert client.post(url, {"party": party.pk, "title": "某案", "place": "厂区"}).status_code == 403
            assert not model.objects.exists()


def _open_inspection(world) -> Inspection:
    return services.inspection_start(
        actor=world.people.officer,
        agency=world.harbin,
        party=make_party(world.harbin),
        place="厂区",
        started_at=earlier_today(dt.timedelta(hours=1)),
        officers=[world.people.officer, world.people.partner],
        **EMERGENCY,
    )


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("officer", True), ("partner", True), ("bystander", False), ("head", False), ("reviewer", False)],
)
def test_an_open_inspection_offers_its_completion_to_its_own_officers_only(client, world, persona, offered):
    inspection = _open_inspection(world)
    bystander = make_staff(agency=world.harbin, roles=[Role.OFFICER], username="bystander")
    make_certificate(holder=bystander)
    client.force_login(bystander if persona == "bystander" else getattr(world.people, persona))
    page = client.get(reverse("cases:inspection-detail", args=[inspection.pk])).content.decode()
    assert ('name="findings"' in page) is offered


@pytest.mark.parametrize(
    ("persona", "offered"), [("officer", True), ("head", True), ("reviewer", False), ("clerk", False)]
)
def test_a_completed_inspection_that_found_a_violation_offers_its_clue_to_officers_and_heads(
    client, world, persona, offered
):
    inspection, _record = inspection_record(world)
    client.force_login(getattr(world.people, persona))
    page = client.get(reverse("cases:inspection-detail", args=[inspection.pk])).content.decode()
    link = f"{reverse('cases:case-open')}?inspection={inspection.pk}"
    assert (link in page) is offered
    assert client.get(link).status_code == (200 if offered else 403)
