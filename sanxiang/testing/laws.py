"""A made-up law for the law library's tests, in the layout of the national database's downloads (title, history
in brackets, table of contents, chapters, articles "第一条　…"), as lines, as a .txt and as a .docx. Its words are
written for the tests: the repository carries no statute text."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from sanxiang.laws.models import Article, Instrument

TITLE = "中华人民共和国试行样例法"
LINES = [
    TITLE,
    "（2020年1月8日样例会议通过　2024年6月1日样例会议修订）",
    "目　　录",
    "第一章　总　　则",
    "第二章　附　　则",
    "第一章　总　　则",
    "第一条　为了检验导入程序，制定本法。",
    "第二条　样例机关负责下列事项：",
    "（一）登记样例；",
    "（二）公布样例。",
    "第二章　附　　则",
    "第三条　本法自2024年7月1日起施行。",
]


def make_instrument(**overrides) -> Instrument:
    values = {
        "kind": "law",
        "title": TITLE,
        "short_names": "试行样例法",
        "issuer": "样例机关",
        "version_label": "2024年修订",
        "promulgated_on": dt.date(2024, 6, 1),
        "effective_from": dt.date(2024, 7, 1),
        "source_name": "国家法律法规数据库",
        "source_url": "https://flk.npc.gov.cn/",
        "confidence": "U",
    }
    values.update(overrides)
    return Instrument.objects.create(**values)


def make_article(instrument: Instrument, number: int, paraphrase: str = "样例要旨。") -> Article:
    return Article.objects.create(instrument=instrument, number=number, paraphrase=paraphrase)


def as_text(lines: list[str] = LINES, encoding: str = "utf-8") -> bytes:
    return "\n".join(lines).encode(encoding)


def as_docx(lines: list[str] = LINES) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
