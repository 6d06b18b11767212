"""Builds the default DOCX template of each document type from its definition in types.py.

The files are committed under documents/docx/; an agency replaces any of them with its own Word file, which may
use the same {{ fields }}.
"""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from sanxiang.documents.types import DocType

BODY_FONT = "仿宋"  # 仿宋_GB2312 in many offices; LibreOffice falls back to an installed CJK font
TITLE_FONT = "宋体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def paragraph(document, text: str, *, size=14.0, bold=False, align=None, font=BODY_FONT, indent=False):
    block = document.add_paragraph()
    if align is not None:
        block.alignment = align
    if indent:
        block.paragraph_format.first_line_indent = Pt(size * 2)
    block.paragraph_format.space_after = Pt(4)
    _font(block.add_run(text), font, size, bold)
    return block


def build_template(kind: DocType) -> bytes:
    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    paragraph(document, "{{ agency_name }}", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    paragraph(document, kind.name, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    if kind.numbered:
        paragraph(document, "{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    for label, name in kind.lines:
        paragraph(document, f"{label}：{{{{ {name} }}}}")
    for name in kind.blocks:
        paragraph(document, f"{{{{ {name} }}}}", indent=True)
    if kind.numbered:
        paragraph(document, "{{ agency_name }}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(document, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(document, "{{ qr }}")
    paragraph(document, "扫码或访问 {{ verify_url }} 核验本文书的编号、日期和数字指纹。", size=9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
