"""What the public ledger endpoint shows of cases that are not public: nothing that names them, their documents or
their staff."""

import json

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from sanxiang.documents.models import Document
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import Record, ledger_append, ledger_append_many
from sanxiang.testing.cases import open_case, walk


def public_bodies(api) -> list[dict]:
    bodies = []
    for index in Entry.objects.order_by("index").values_list("index", flat=True):
        response = api.get(f"/ledger/entries/{index}")
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            bodies.append(response.json())
    return bodies


def test_a_case_with_its_documents_leaves_no_public_entry_naming_it_or_its_staff(world):
    case = walk(world, open_case(world), "notified")
    documents = Document.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
    assert documents.count() >= 2  # the filing approval and the prior notice at least
    staff = {f"staff:{person.pk}" for person in (world.people.officer, world.people.head, world.people.reviewer)}
    for body in public_bodies(APIClient()):
        text = json.dumps(body, ensure_ascii=False)
        assert not body["action"].startswith(("document.", "case.")), body
        assert f"cases.case:{case.pk}" not in text and not any(d.number and d.number in text for d in documents)
        assert body["actor"] not in staff, body
    auditor = APIClient()
    auditor.force_authenticate(world.people.auditor)  # the agency's auditors still read every entry of the case
    entry = Entry.objects.filter(action="document.issue").order_by("index").first()
    assert not entry.public and auditor.get(f"/ledger/entries/{entry.index}").status_code == 200


def test_a_document_entry_written_public_before_is_served_as_internal(world):
    with transaction.atomic():
        [index] = ledger_append_many(
            [
                Record(
                    action="document.issue",
                    subject_type="documents.document",
                    subject_id="1",
                    actor=f"staff:{world.people.officer.pk}",
                    agency=world.harbin.code,
                    data={"type": "filing_approval", "for": "cases.case:1", "public": True},
                    public=True,
                )
            ]
        )
    assert Entry.objects.get(index=index).public
    assert APIClient().get(f"/ledger/entries/{index}").status_code == 404
    outsider = APIClient()
    outsider.force_authenticate(world.people.outsider)
    assert outsider.get(f"/ledger/entries/{index}").status_code == 404
    auditor = APIClient()
    auditor.force_authenticate(world.people.auditor)
    assert auditor.get(f"/ledger/entries/{index}").status_code == 200


def test_an_internal_action_cannot_be_appended_public(world):
    with transaction.atomic(), pytest.raises(RuntimeError, match="internal"):
        ledger_append(actor=None, agency=world.harbin, action="document.issue", subject=world.harbin, public=True)
