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


def a4(*, margin: float = 25) -> WordDocument:
    """An empty A4 document with `margin` millimetres left and right."""
    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(margin)
    return document


def table(document, header: list[str], rows: list[list[str]], *, size=10.5, widths: list[float] | None = None):
    """A ruled table with a bold header row, every cell in the body font at `size` points; `widths` in millimetres."""
    grid = document.add_table(rows=0, cols=len(header))
    grid.style = "Table Grid"
    for number, values in enumerate([header, *rows]):
        cells = grid.add_row().cells
        for cell, text in zip(cells, values):
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, size, bold=number == 0)
    for column, width in zip(grid.columns, widths or []):
        column.width = Mm(width)  # the grid LibreOffice lays out by; Word reads each cell's own
        for cell in column.cells:
            cell.width = Mm(width)
    return grid


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
    return docx_bytes(document)
