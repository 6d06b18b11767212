"""Finding citations in text: 《行政处罚法》第五十一条、第六十三条; 《环境行政处罚办法》（2010）第六十七条至第七十条;
《水污染防治法》第八十四条第二款. Pure functions: which law and which articles each citation names, and where in the
text each part stands, so a page can link every article; the library (selectors) decides what they refer to.

A citation is a title in 《》, then optionally a version in brackets (（2010）, （部令第30号）, （2021年修订）), then
the articles: 第…条, each possibly narrowed to its 款 or 项, joined by 、 和 及, or 至 for a range of articles. A
bracket right after the articles that names a year or an order number is read as the version too
(《全国年节及纪念日放假办法》第二条（国务院令第644号修订）); any other bracket is a remark and not part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanxiang.laws.numerals import NUMERAL, to_int

# No citation spans a line or an HTML tag (so one found in HTML can be linked without breaking its markup).
TITLE = re.compile(r"《([^《》<>\n]{1,60})》")
BRACKET = re.compile(r"[（(]([^（）()<>\n]{1,60})[）)]")
# One part of an article list: a connector (none for the first), a number and what it numbers.
PART = re.compile(rf"(、|和|及|至)?第({NUMERAL})(条|款|项)")
# A law is cited by its full title or by it without the state's name (《中华人民共和国行政处罚法》, 《行政处罚法》).
STATE_PREFIX = "中华人民共和国"
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
ORDER_NUMBER = re.compile(r"第\s*(\d+)\s*号")


@dataclass(frozen=True)
class ArticleRef:
    """One article a citation names. `start`/`end` span its words (its 款 and 项 included); an article inside a
    range (第六十三条 of 第六十二条至第六十四条) has no words of its own, and an empty span."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    name: str  # the title as written, without 《》
    version: str  # what the brackets say of the version, "" if nothing
    start: int
    end: int
    articles: tuple[ArticleRef, ...]

    @property
    def law_name(self) -> str:
        """The name without the state's name, so that both ways of citing one law compare equal."""
        return self.name.removeprefix(STATE_PREFIX)

    @property
    def years(self) -> set[int]:
        return {int(year) for year in YEAR.findall(self.version)}

    @property
    def order_numbers(self) -> set[str]:
        return {f"第{number}号" for number in ORDER_NUMBER.findall(self.version)}

    @property
    def numbers(self) -> list[int]:
        return [article.number for article in self.articles]


def _version(text: str, position: int) -> tuple[str, int] | None:
    """A bracket at `position` that names a version (a year or an order number), and where it ends."""
    match = BRACKET.match(text, position)
    if match and (YEAR.search(match.group(1)) or ORDER_NUMBER.search(match.group(1))):
        return match.group(1), match.end()
    return None


def _articles(text: str, position: int) -> tuple[list[ArticleRef], int]:
    """The article list that starts at `position` (possibly none), and where it ends."""
    found: list[ArticleRef] = []
    while match := PART.match(text, position):
        connector, number, unit = match.group(1), to_int(match.group(2)), match.group(3)
        if unit != "条":
            if not found:
                break  # a 款 or 项 with no article before it is not part of this citation
            last = found[-1]  # the article's 款 and 项 belong to its words
            found[-1] = ArticleRef(last.number, last.start, match.end())
        else:
            if not found and connector:
                break
            if connector == "至" and found:
                found += [
                    ArticleRef(inner, match.start(), match.start()) for inner in range(found[-1].number + 1, number)
                ]
            found.append(ArticleRef(number, match.start() + len(connector or ""), match.end()))
        position = match.end()
    return found, position


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order."""
    citations = []
    for title in TITLE.finditer(text):
        version, end = "", title.end()
        if found := _version(text, end):
            version, end = found
        articles, after = _articles(text, end)
        if articles:
            end = after
            if found := _version(text, end):
                version, end = (f"{version} {found[0]}".strip(), found[1])
        citations.append(Citation(title.group(1).strip(), version, title.start(), end, tuple(articles)))
    return citations
