"""The PDF of a published annual report: made once per edition by the background worker, from the frozen figures,
the narrative and the data's hash; never for a draft; a page that says so while it is made or when LibreOffice is
missing, never a 500."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from sanxiang.core.blobs import blob_read
from sanxiang.reports import services
from sanxiang.reports.models import AnnualReport
from sanxiang.reports.tests.test_report import JANUARY, generate
from sanxiang.testing.cases import open_case, walk
from sanxiang.testing.office import needs_libreoffice

PORTAL_PDF = ("portal:annual-report-data", ["230100", 2026, "pdf"])


@pytest.fixture
def report(world):
    walk(world, open_case(world), "decided")
    return generate(world)


def _publish(world, report) -> AnnualReport:
    report = services.report_approve(actor=world.people.head, report=report, version=report.version)
    return services.report_publish(actor=world.people.head, report=report, version=report.version, today=JANUARY)


def _text(content: bytes) -> str:
    """The PDF's text without its line breaks and spaces, so a hash or a name wrapped on the page still reads whole."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@needs_libreoffice
def test_the_pdf_of_a_published_report_carries_the_agency_a_figure_and_the_data_hash(client, world, report):
    report = _publish(world, report)
    response = client.get(reverse(PORTAL_PDF[0], args=PORTAL_PDF[1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="annual-report-230100-2026-v1.pdf"' in response["Content-Disposition"]
    text = _text(response.content)
    assert f"{world.harbin.name}2026年度行政执法统计年报" in text
    assert "作出行政处罚决定1件" in text  # a figure of its table: the one decided case
    assert report.data_sha256 in text
    report.refresh_from_db()
    assert report.pdf_sha256 and blob_read(report.pdf_sha256) == response.content
    cache.clear()  # the edition never changes: asked again, it is the same file and nothing is rendered again
    assert client.get(reverse(PORTAL_PDF[0], args=PORTAL_PDF[1])).content == response.content
    client.force_login(world.people.clerk)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert reverse("reports:download", args=[report.pk, "pdf"]) in page
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).content == response.content


@needs_libreoffice
def test_publication_queues_the_pdf_once_its_transaction_commits(
    world, report, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_PDF_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=True):
        report = _publish(world, report)
    report.refresh_from_db()
    assert blob_read(report.pdf_sha256).startswith(b"%PDF")


def test_an_unpublished_report_has_no_pdf(client, world, report):
    assert client.get(reverse(PORTAL_PDF[0], args=PORTAL_PDF[1])).status_code == 404
    client.force_login(world.people.head)
    assert (
        reverse("reports:download", args=[report.pk, "pdf"])
        not in client.get(reverse("reports:report", args=[report.pk])).content.decode()
    )
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404
    approved = services.report_approve(actor=world.people.head, report=report, version=report.version)
    assert client.get(reverse("reports:download", args=[approved.pk, "pdf"])).status_code == 404


def test_a_pdf_asked_for_before_it_is_made_answers_retry_later(client, world, report, monkeypatch):
    from sanxiang.documents import pdfs

    monkeypatch.setattr(pdfs, "office", lambda: "/usr/bin/soffice")
    report = _publish(world, report)
    cache.add(f"reports:pdf:{report.pk}", 1, timeout=60)  # the worker has it queued and has not finished
    response = client.get(reverse(PORTAL_PDF[0], args=PORTAL_PDF[1]))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "PDF 正在生成" in page and 'http-equiv="refresh"' in page
    assert reverse("portal:annual-report", args=["230100", 2026]) in page
    assert not AnnualReport.objects.get(pk=report.pk).pdf_sha256


def test_without_libreoffice_the_pdf_page_says_so(client, world, report, monkeypatch):
    report = _publish(world, report)
    monkeypatch.setattr("shutil.which", lambda name: None)
    response = client.get(reverse(PORTAL_PDF[0], args=PORTAL_PDF[1]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "未安装 LibreOffice" in page and 'http-equiv="refresh"' not in page
    client.force_login(world.people.head)
    response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert response.status_code == 503 and "未安装 LibreOffice" in response.content.decode()
    assert reverse("reports:report", args=[report.pk]) in response.content.decode()
