"""The evidence pages offer the upload and the correction of notes only to whom the services admit: evidence is
added by the officers taking part in its act (any officer of the agency while the clue has no investigators), notes
are corrected by their recorder, those taking part or the agency's head; reviewers and publicity clerks read
evidence and never write it (查审分离). A post from anyone else is refused 403 and adds nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanxiang.agencies.models import Role
from sanxiang.evidence.models import EvidenceItem
from sanxiang.testing.cases import add_evidence, open_case, walk
from sanxiang.testing.factories import make_staff

UPLOAD = {"act": "evidence", "kind": "documentary", "description": "现场照片"}


def _upload(client, case):
    body = UPLOAD | {"file": SimpleUploadedFile("现场.jpg", b"photo bytes")}
    return client.post(reverse("evidence:case", args=[case.pk]), body)


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("officer", True), ("partner", True), ("head", False), ("reviewer", False), ("clerk", False), ("admin", False)],
)
def test_a_clue_offers_the_upload_to_the_agencys_officers_only(client, world, persona, offered):
    case = open_case(world)
    client.force_login(getattr(world.people, persona))
    page = client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert ('name="file"' in page) is offered and ("data-capture-queue" in page) is offered
    assert _upload(client, case).status_code == (302 if offered else 403)
    assert EvidenceItem.objects.filter(case=case).exists() is offered


def test_a_filed_case_offers_the_upload_to_its_investigators_not_to_every_officer(client, world):
    case = walk(world, open_case(world), "filed")
    client.force_login(make_staff(agency=world.harbin, roles=[Role.OFFICER], username="bystander"))
    assert 'name="file"' not in client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert _upload(client, case).status_code == 403
    client.force_login(world.people.partner)
    assert 'name="file"' in client.get(reverse("evidence:case", args=[case.pk])).content.decode()


@pytest.mark.parametrize(
    ("persona", "offered"), [("officer", True), ("head", True), ("reviewer", False), ("clerk", False)]
)
def test_notes_are_offered_for_correction_to_whom_the_service_admits(client, world, persona, offered):
    item = add_evidence(world, walk(world, open_case(world), "filed"))
    client.force_login(getattr(world.people, persona))
    url = reverse("evidence:item", args=[item.pk])
    assert ('name="reason"' in client.get(url).content.decode()) is offered
    response = client.post(url, {"description": "更正后的内容", "reason": "笔误"})
    assert response.status_code == (302 if offered else 403)
    assert (item.annotations.count() == 2) is offered
