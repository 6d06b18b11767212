"""Signatures on site: bound to the version shown, recorded by the act's officers, a refusal only with a witness,
strokes checked, and a signed version never signed again once corrected."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document as WordDocument

from sanxiang.core.blobs import blob_read
from sanxiang.core.errors import Conflict, RuleViolation
from sanxiang.documents.models import Document, Signature
from sanxiang.documents.selectors import signing_state
from sanxiang.documents.services.signatures import document_correct, signature_add, signature_refusal_record
from sanxiang.ledger.models import Entry
from sanxiang.testing.signatures import STROKES, inspection_record


def sign(world, document, role="officer", *, actor=None, officer=None, version=None, strokes=STROKES, name=""):
    return signature_add(
        actor=actor or world.people.officer,
        document=document,
        version_sha256=version or document.docx_sha256,
        role=role,
        strokes=strokes,
        name=name,
        officer=officer if officer is not None or role != "officer" else world.people.officer,
    )


def refuse(world, document, **overrides):
    values = {
        "actor": world.people.officer,
        "document": document,
        "version_sha256": document.docx_sha256,
        "note": "法定代表人王某拒绝签名",
        "witness_name": "赵见证",
        "witness_strokes": STROKES,
    } | overrides
    return signature_refusal_record(**values)


def test_a_record_is_complete_with_two_officers_and_a_witnessed_refusal(world):
    _inspection, document = inspection_record(world)
    state = signing_state(document)
    assert not state.complete and len(state.missing) == 2
    sign(world, document)
    sign(world, document, officer=world.people.partner)
    refusal = refuse(world, document)
    state = signing_state(document)
    assert state.complete and "第五十五条" in state.citation
    assert refusal.status == "refused" and refusal.note == "法定代表人王某拒绝签名"
    witness = Signature.objects.get(document=document, role="witness")
    assert witness.svg.startswith("<svg") and witness.document_sha256 == document.docx_sha256
    entries = Entry.objects.filter(action__startswith="signature.").order_by("index")
    assert [e.action for e in entries] == ["signature.add", "signature.add", "signature.refuse", "signature.add"]
    body = entries.last().body.decode() if isinstance(entries.last().body, bytes) else str(entries.last().body)
    assert document.docx_sha256 in body and "赵见证" not in body and witness.strokes_sha256 in body
    document.refresh_from_db()
    signed = WordDocument(io.BytesIO(blob_read(document.signed_docx_sha256)))
    assert "签名页" in [p.text for p in signed.paragraphs]
    assert len(signed.inline_shapes) == 1 + 3  # the QR code and the three hand signatures
    assert "拒绝签名：法定代表人王某拒绝签名" in [cell.text for row in signed.tables[-1].rows for cell in row.cells]


def test_a_refusal_without_a_witness_signature_records_nothing(world):
    _inspection, document = inspection_record(world)
    with pytest.raises(ValidationError):
        refuse(world, document, witness_strokes=[])
    with pytest.raises(ValidationError):
        refuse(world, document, witness_name=" ")
    with pytest.raises(ValidationError):
        refuse(world, document, note="")
    with pytest.raises(RuleViolation, match="见证人须是执法人员以外的人"):
        refuse(world, document, witness_name="张丽华")
    assert not Signature.objects.exists() and not Entry.objects.filter(action__startswith="signature.").exists()
    assert Document.objects.get(pk=document.pk).signed_docx_sha256 == ""


@pytest.mark.parametrize(
    "strokes",
    [
        "not a list",
        [],
        [[[1, 2, 3]]],  # one point is no signature
        [[[1, "2", 3], [4, 5, 6]]],
        [[[1, 2, True], [4, 5, 6]]],
        [[[1, 2], [4, 5]]],
        [[[1, 2, 3], [4e9, 5, 6]]],
        [[[1, 2, 3], [-1, 5, 6]]],
        [[[1, 2, 30], [4, 5, 6]]],  # time runs backwards
        [[[1.5, 2.5, i] for i in range(4001)]],
        [[[1, 2, 3], [4, 5, 6]]] * 61,
        [[{"x": 1, "y": 2, "t": 3}]],
    ],
)
def test_malformed_strokes_are_refused_and_store_nothing(world, strokes):
    _inspection, document = inspection_record(world)
    with pytest.raises(ValidationError) as error:
        sign(world, document, strokes=strokes)
    assert "strokes" in error.value.message_dict
    assert not Signature.objects.exists()


def test_a_superseded_version_cannot_be_signed_and_its_correction_needs_new_signatures(world):
    _inspection, document = inspection_record(world)
    sign(world, document)
    corrected = document_correct(actor=world.people.partner, document=document, changes={"findings": "脱硫塔停运"})
    assert corrected.version == 2 and corrected.supersedes == document and corrected.docx_sha256 != document.docx_sha256
    assert signing_state(corrected).signatures == [] and signing_state(document).superseded_by == corrected
    with pytest.raises(Conflict, match="已被更正为第 2 版"):
        sign(world, document, officer=world.people.partner)
    with pytest.raises(Conflict, match="只能更正最新版本"):
        document_correct(actor=world.people.officer, document=document, changes={"findings": "再改"})
    with pytest.raises(Conflict, match="版本"):  # shown version 1, submitted against version 2
        sign(world, corrected, version=document.docx_sha256)
    assert Signature.objects.filter(document=document).count() == 1 and Document.objects.count() == 2
    assert sign(world, corrected).document_sha256 == corrected.docx_sha256
    assert Entry.objects.filter(action="document.correct").count() == 1


def test_each_signer_signs_a_version_once(world):
    _inspection, document = inspection_record(world)
    sign(world, document, role="party", name="王某")
    sign(world, document)
    with pytest.raises(ValidationError, match="已经签名"):
        sign(world, document, role="party", name="王某")
    with pytest.raises(ValidationError, match="已经签名"):
        sign(world, document)
    with pytest.raises(ValidationError, match="已经签名"):
        refuse(world, document)
    with pytest.raises(ValidationError, match="身份"):
        sign(world, document, role="interviewee", name="王某")
    assert Signature.objects.count() == 2


def test_only_the_acts_officers_record_signatures(world):
    _inspection, document = inspection_record(world)
    for person in (world.people.head, world.people.reviewer, world.people.outsider, world.people.county_officer):
        with pytest.raises(PermissionDenied):
            sign(world, document, actor=person)
    with pytest.raises(ValidationError, match="参与该执法活动"):
        sign(world, document, officer=world.people.county_officer)
    with pytest.raises(PermissionDenied):
        document_correct(actor=world.people.head, document=document, changes={"findings": "改"})
    assert not Signature.objects.exists() and Document.objects.count() == 1


def test_documents_not_signed_on_site_take_no_signature(world):
    from sanxiang.documents.services import document_issue
    from sanxiang.testing.documents import filled

    decision = document_issue(
        actor=None,
        agency=world.harbin,
        doc_type_code="penalty_decision",
        subject=world.harbin,
        context=filled("penalty_decision"),
        issued_on=document_day(),
    )
    assert signing_state(decision) is None
    with pytest.raises(ValidationError, match="不在现场签名"):
        sign(world, decision, actor=None)


def document_day():
    from django.utils import timezone

    return timezone.localdate()
