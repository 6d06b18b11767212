"""The signing page shows everyone who may see the document its signatures and what it lacks, and offers the pads
only to the officers of the act it records, who alone may record a signature or a refusal on it."""

import json

import pytest
from django.urls import reverse

from sanxiang.documents.models import Signature
from sanxiang.testing.signatures import STROKES, inspection_record


@pytest.mark.parametrize(
    ("persona", "offered"), [("officer", True), ("partner", True), ("head", False), ("reviewer", False)]
)
def test_the_pads_are_offered_to_the_acts_officers_only(client, world, persona, offered):
    _inspection, record = inspection_record(world)
    client.force_login(getattr(world.people, persona))
    url = reverse("documents:sign", args=[record.pk])
    page = client.get(url).content.decode()
    assert "签名情况" in page and ('value="sign"' in page) is offered and ('value="refuse"' in page) is offered
    body = {"form": "sign", "version_sha256": record.docx_sha256, "role": "witness", "name": "王某"}
    response = client.post(url, body | {"strokes": json.dumps(STROKES)})
    assert response.status_code == (302 if offered else 403)
    assert Signature.objects.filter(document=record).exists() is offered
