"""Rendering a document, with no database and no record: a DOCX from a template and its values (with the
verification QR code), and a PDF from a DOCX by LibreOffice."""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import segno
from django.utils.translation import gettext as _
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import Environment


class _TemplateCache(Environment):
    """docxtpl compiles a part's XML with Jinja on every render, though a template's parts are the same each time:
    compiled once here, they are reused by every document of that template (a third of the rendering time)."""

    @functools.lru_cache(maxsize=64)  # noqa: B019 (one module-level environment, never freed anyway)
    def _compiled(self, source: str):
        return super().from_string(source)

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None:
            return self._compiled(source)
        return super().from_string(source, globals, template_class)


_JINJA = _TemplateCache(autoescape=True)


def qr_png(url: str) -> bytes:
    """A QR code of `url` as PNG bytes, readable when printed on A4."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def render_docx(template: bytes, context: dict, verify_url: str) -> bytes:
    """The DOCX of `template` (a docxtpl template) filled with `context`, multi-line text kept as lines, and the QR
    code of `verify_url` as the field `qr`."""
    document = DocxTemplate(io.BytesIO(template))
    values = {
        key: Listing(value) if isinstance(value, str) and "\n" in value else value for key, value in context.items()
    }
    values["qr"] = InlineImage(document, io.BytesIO(qr_png(verify_url)), width=Mm(22))
    values["verify_url"] = verify_url
    document.render(values, jinja_env=_JINJA, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed or could not convert the document."""


def office() -> str:
    """The LibreOffice program, or PdfUnavailable when it is not installed."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise PdfUnavailable(_("未安装 LibreOffice（libreoffice-writer-nogui），无法生成 PDF。"))
    return program


def docx_to_pdf(content: bytes) -> bytes:
    """Convert with LibreOffice headless, in a private profile so conversions can run side by side. It takes seconds
    (tens under load): only the background worker calls it, never a request."""
    program = office()
    with tempfile.TemporaryDirectory(prefix="sanxiang-pdf-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(content)
        result = subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": folder},
        )
        target = Path(folder) / "document.pdf"
        if result.returncode != 0 or not target.exists():
            raise PdfUnavailable(
                _("PDF 转换失败：%(error)s") % {"error": result.stderr.decode(errors="replace")[-300:]}
            )
        return target.read_bytes()
