"""Reading an official text as the national law database (国家法律法规数据库, flk.npc.gov.cn) gives it for download:
a Word file (.docx), one paragraph per line — the title, the history in brackets ("（2021年1月22日…修订）"), a
table of contents (目录), then the text, its parts headed 第一编, 第一章 or 第一节 and its articles begun
"第一条　…" (the number, a space, the words), an article's further paragraphs and items on lines of their own. The
same lines saved as plain text (.txt, UTF-8 or GB18030) read the same way. A PDF must be saved as Word or text
first. Pure functions: what the file says, and every problem that makes it unfit to import.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sanxiang.laws.numerals import NUMERAL, article_label, to_int

MAX_BYTES = 5 * 1024 * 1024
ARTICLE = re.compile(rf"^第({NUMERAL})条(?:[ \t\u3000]+(.*)|$)")
HEADING = re.compile(rf"^(第{NUMERAL}[编章节](?:[ \t\u3000]|$)|目\s*录$|序\s*言$)")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass
class LawText:
    """What an official text says: its title (the first line unless the text begins with an article), the lines
    before the first article, and its articles in the order they stand."""

    title: str = ""
    preamble: list[str] = field(default_factory=list)
    articles: list[tuple[int, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def last_date(self) -> str:
        """The last date of the history in brackets: the day this version was adopted (YYYY-MM-DD), or ""."""
        dates = DATE.findall(" ".join(self.preamble))
        if not dates:
            return ""
        year, month, day = dates[-1]
        return f"{year}-{int(month):02d}-{int(day):02d}"


def _lines_of_docx(content: bytes) -> list[str]:
    from docx import Document  # python-docx, a dependency already (it builds the document templates)

    try:
        document = Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValueError(_("无法读取 Word 文件（%(error)s）。") % {"error": error}) from None
    return [paragraph.text for paragraph in document.paragraphs]


def _lines_of_text(content: bytes) -> list[str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise ValueError(_("文本文件不是 UTF-8 或 GB18030 编码。"))


def read(file_name: str, content: bytes) -> LawText:
    """The text of an uploaded .docx or .txt file, with every problem found in it."""
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix not in ("docx", "txt"):
        return LawText(
            problems=[
                _("只能导入 .docx 或 .txt 文件（国家法律法规数据库下载的 Word 文本）；PDF 请先另存为 Word 或文本。")
            ]
        )
    if len(content) > MAX_BYTES:
        return LawText(problems=[_("文件超过 5 MB，不像一部法律法规的文本。")])
    try:
        lines = _lines_of_docx(content) if suffix == "docx" else _lines_of_text(content)
    except ValueError as error:
        return LawText(problems=[str(error)])
    return parse([line.strip() for line in lines if line.strip()])


def parse(lines: list[str]) -> LawText:
    """Split the lines into title, preamble and articles; check the articles run 第一条, 第二条 … without a gap, a
    repeat or a step back."""
    text = LawText()
    current: list[str] | None = None
    for line in lines:
        match = ARTICLE.match(line)
        if match:
            current = [match.group(2) or ""]
            text.articles.append((to_int(match.group(1)), current))
        elif current is None:
            text.preamble.append(line)
        elif not HEADING.match(line):  # a part, chapter or section heading belongs to no article
            current.append(line)
    if text.preamble and not ARTICLE.match(lines[0]):
        text.title = text.preamble[0].strip("《》 ")
    text.articles = [(number, "\n".join(part for part in parts if part)) for number, parts in text.articles]
    text.problems = _sequence_problems(text.articles)
    return text


def _sequence_problems(articles: list[tuple[int, str]]) -> list[str]:
    if not articles:
        return [_("文件中没有找到条文（以“第一条”开头、条号后空一格的段落），这不像法律法规的文本。")]
    problems, seen, expected = [], set(), 1
    for number, words in articles:
        if not 1 <= number <= 9999:
            problems.append(_("条号“%(number)d”不是有效的条号。") % {"number": number})
            continue
        label = article_label(number)
        before = article_label(expected - 1) if expected > 1 else _("开头")
        if number in seen:
            problems.append(_("%(label)s重复出现。") % {"label": label})
        elif number < expected:
            problems.append(_("%(label)s出现在%(before)s之后，顺序颠倒。") % {"label": label, "before": before})
        elif number > expected:
            missing = "、".join(article_label(gap) for gap in range(expected, min(number, expected + 5)))
            if number - expected > 5:
                missing += _("等%(n)d条") % {"n": number - expected}
            problems.append(
                _("%(before)s之后是%(label)s，缺少%(missing)s。")
                % {"before": before, "label": label, "missing": missing}
            )
        if not words.strip() and number not in seen:
            problems.append(_("%(label)s没有内容。") % {"label": label})
        seen.add(number)
        expected = max(expected, number + 1)
    return problems
