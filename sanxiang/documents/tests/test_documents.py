import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as WordDocument

from sanxiang.core.blobs import blob_read
from sanxiang.documents import services
from sanxiang.documents.models import AgencyTemplate, Document
from sanxiang.documents.types import TYPES
from sanxiang.ledger.models import Entry
from sanxiang.testing.documents import filled
from sanxiang.testing.office import needs_libreoffice

DAY = dt.date(2026, 10, 12)


def issue(world, code="penalty_decision", agency=None, day=DAY, **context):
    """A document of type `code` with every field filled, `context` overriding."""
    return services.document_issue(
        actor=world.people.head,
        agency=agency or world.harbin,
        doc_type_code=code,
        subject=world.harbin,
        issued_on=day,
        context=filled(code, **context),
    )


def text_of(document: Document) -> str:
    return "\n".join(p.text for p in WordDocument(io.BytesIO(blob_read(document.docx_sha256))).paragraphs)


def test_numbers_run_per_agency_type_and_year_without_gaps(world):
    numbers = [issue(world).number for _ in range(3)]
    assert numbers == ["哈环罚〔2026〕1号", "哈环罚〔2026〕2号", "哈环罚〔2026〕3号"]
    assert issue(world, "prior_notice").number == "哈环告〔2026〕1号"
    assert issue(world, agency=world.qiqihar).number == "齐环罚〔2026〕1号"
    assert issue(world, day=dt.date(2027, 1, 4)).number == "哈环罚〔2027〕1号"
    assert issue(world, "inquiry_record").number == ""  # internal records carry no 文号


def test_a_document_is_stored_by_hash_with_its_fields_a_qr_code_and_an_internal_ledger_entry(world):
    document = issue(world, party_name="哈尔滨北方精细化工有限公司", facts="第一段\n第二段")
    content = blob_read(document.docx_sha256)
    import hashlib

    assert hashlib.sha256(content).hexdigest() == document.docx_sha256
    text = text_of(document)
    assert "哈尔滨市生态环境局" in text and "哈环罚〔2026〕1号" in text and "哈尔滨北方精细化工有限公司" in text
    assert "2026年10月12日" in text and f"/verify/document/{document.public_id}/" in text
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(io.BytesIO(content)).namelist())
    entry = Entry.objects.get(action="document.issue", subject_id=str(document.pk))
    assert not entry.public and document.docx_sha256.encode() in bytes(entry.body)
    assert "哈尔滨北方精细化工" not in bytes(entry.body).decode()


def test_a_document_refuses_fields_its_type_does_not_have(world):
    with pytest.raises(ValueError):
        issue(world, "inquiry_record", decision_text="not a field of an inquiry record")


def test_the_public_verify_page_shows_number_date_and_hash_but_nothing_personal(client, world):
    document = issue(world, party_name="哈尔滨北方精细化工有限公司")
    body = client.get(reverse("portal:verify-document", args=[document.public_id])).content.decode()
    assert document.number in body and document.docx_sha256 in body and "2026-10-12" in body
    assert "哈尔滨北方精细化工" not in body
    assert client.get("/verify/document/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_downloads_are_for_staff_of_the_agency(client, world):
    document = issue(world)
    client.force_login(world.people.outsider)
    assert client.get(reverse("documents:docx", args=[document.pk])).status_code == 404
    client.force_login(world.people.officer)
    response = client.get(reverse("documents:docx", args=[document.pk]))
    assert response.status_code == 200 and response.content == blob_read(document.docx_sha256)


def test_an_agency_template_with_an_unknown_field_is_refused_and_a_good_one_is_used(world):
    template = WordDocument()
    template.add_paragraph("{{ agency_name }} 决定书 {{ number }} {{ secret_field }}")
    buffer = io.BytesIO()
    template.save(buffer)
    with pytest.raises(ValidationError) as error:
        services.template_upload(
            actor=world.people.admin,
            agency=world.harbin,
            doc_type_code="penalty_decision",
            file_name="决定书.docx",
            content=buffer.getvalue(),
        )
    assert "secret_field" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.template_upload(
            actor=world.people.admin,
            agency=world.harbin,
            doc_type_code="penalty_decision",
            file_name="x.docx",
            content=b"not a zip",
        )
    assert not AgencyTemplate.objects.exists()
    good = WordDocument()
    good.add_paragraph("本局专用格式 {{ agency_name }} {{ number }} {{ party_name }}")
    buffer = io.BytesIO()
    good.save(buffer)
    services.template_upload(
        actor=world.people.admin,
        agency=world.harbin,
        doc_type_code="penalty_decision",
        file_name="决定书.docx",
        content=buffer.getvalue(),
    )
    assert "本局专用格式" in text_of(issue(world, agency=world.daoli, party_name="某公司"))  # counties inherit it
    assert "本局专用格式" not in text_of(issue(world, agency=world.qiqihar))


def test_every_default_template_renders_with_only_its_own_fields(world):
    for code, kind in TYPES.items():
        context = {
            field: f"〔{field}〕"
            for field in kind.fields
            if field not in ("qr", "verify_url", "agency_name", "number", "date", "title")
        }
        text = text_of(issue(world, code, **context))
        assert not re.search(r"\{\{|\}\}", text), code
        # `extra` fields are for an agency's own template; the default one reads them in its sentences
        shown = {name for _label, name in kind.lines} | set(kind.blocks)
        for field, value in context.items():
            assert (value in text) == (field in shown), (code, field)


@needs_libreoffice
def test_a_pdf_is_rendered_by_libreoffice_stored_and_ledgered(world):
    document = issue(world, party_name="哈尔滨北方精细化工有限公司")
    document = services.document_render_pdf(document_id=document.pk)
    pdf = blob_read(document.pdf_sha256)
    assert pdf.startswith(b"%PDF") and Entry.objects.filter(action="document.pdf", subject_id=str(document.pk)).exists()
    assert services.document_render_pdf(document_id=document.pk).pdf_sha256 == document.pdf_sha256


def test_only_administrators_upload_templates_through_the_workbench(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    template = WordDocument()
    template.add_paragraph("{{ agency_name }} {{ number }}")
    buffer = io.BytesIO()
    template.save(buffer)
    upload = {"doc_type": "prior_notice", "file": SimpleUploadedFile("告知书.docx", buffer.getvalue())}
    client.force_login(world.people.officer)
    assert client.get(reverse("documents:templates")).status_code == 200
    assert client.post(reverse("documents:templates"), upload).status_code == 403
    client.force_login(world.people.admin)
    upload["file"].seek(0)
    assert client.post(reverse("documents:templates"), upload).status_code == 302
    assert AgencyTemplate.objects.get().file_name == "告知书.docx"


def test_a_pdf_asked_for_is_made_by_the_background_worker_while_the_page_says_so(client, world, monkeypatch):
    from sanxiang.documents import tasks

    document = issue(world)
    queued = []
    monkeypatch.setattr(tasks, "render_pdf", lambda document_id: queued.append(document_id))
    monkeypatch.setattr(services, "office", lambda: "/usr/bin/soffice")
    client.force_login(world.people.head)
    url = reverse("documents:pdf", args=[document.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 202 and first["Retry-After"] == "5"
    assert "正在生成 PDF" in first.content.decode() and 'http-equiv="refresh"' in first.content.decode()
    assert queued == [document.pk]  # asked twice, queued once; LibreOffice never ran in the request

    monkeypatch.setattr(services, "docx_to_pdf", lambda content: b"%PDF-1.7 rendered by the worker")
    services.document_render_pdf(document_id=queued[0])  # the worker's part
    done = client.get(url)
    assert done.status_code == 200 and done.content == b"%PDF-1.7 rendered by the worker"
    assert done["Cache-Control"] == "no-store"


def test_a_pdf_without_libreoffice_says_so_at_once(client, world, monkeypatch):
    from sanxiang.documents.rendering import PdfUnavailable

    def missing():
        raise PdfUnavailable("未安装 LibreOffice")

    document = issue(world)
    monkeypatch.setattr(services, "office", missing)
    client.force_login(world.people.head)
    response = client.get(reverse("documents:pdf", args=[document.pk]))
    assert response.status_code == 503 and "LibreOffice" in response.content.decode()


@pytest.fixture
def queued(monkeypatch, settings) -> list:
    """The documents whose PDF is queued for the worker (which is not run), with PDFs queued at issue."""
    from sanxiang.documents import tasks

    queued = []
    monkeypatch.setattr(tasks, "render_pdf", lambda document_id: queued.append(document_id))
    monkeypatch.setattr(services, "office", lambda: "/usr/bin/soffice")
    settings.DOCUMENTS_PDF_IN_BACKGROUND = True
    return queued


def test_a_pdf_asked_for_while_the_one_queued_at_issue_renders_is_not_queued_again(
    client, world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(world)
    assert queued == [document.pk]
    client.force_login(world.people.head)
    assert client.get(reverse("documents:pdf", args=[document.pk])).status_code == 202
    assert queued == [document.pk]  # LibreOffice runs once for the document


def test_documents_issued_in_a_bulk_load_queue_no_pdf_until_a_page_asks(
    client, world, queued, django_capture_on_commit_callbacks
):
    with services.pdfs_on_request(), django_capture_on_commit_callbacks(execute=True):
        document = issue(world)
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        later = issue(world)
    assert queued == [later.pk]  # outside the load, issue queues again
    client.force_login(world.people.head)
    assert client.get(reverse("documents:pdf", args=[document.pk])).status_code == 202
    assert queued == [later.pk, document.pk]
