"""Finding what must not be published in a decision's text, and masking it.

What is hidden follows the model rule for putting penalty results online (domain.md §16: 行政处罚结果信息网上公开暂行
办法 arts 5–9, mirrored by the seed's "作适当处理后公开"): natural persons' ID numbers, contact numbers, bank
accounts and home addresses, and the names of natural persons other than the party. Detection suggests; a clerk
adds or removes masks by hand and a second person confirms before anything is published.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanxiang.core.identifiers import validate_resident_id

KINDS = {
    "id_number": _("居民身份证号码"),
    "phone": _("联系电话"),
    "bank_account": _("银行账号"),
    "address": _("住址"),
    "name": _("其他自然人姓名"),
    "secret": _("商业秘密等"),
    "manual": _("其他手工遮盖内容"),
}

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}-?\d{7,8}(?![\d-])")
ACCOUNT = re.compile(r"(?:账号|账户|卡号|帐号)[：:\s]*(\d[\d ]{10,26}\d)")
ADDRESS = re.compile(r"(?:家庭住址|住址|现住|居住地|户籍地)[：:\s]*([^\s，。；,;（）()]{4,60})")
# 张三，男，1980年…出生 / 证人李四 / 员工王五: the usual ways a decision names a natural person.
PERSON_INTRO = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})[，,]\s?[男女][，,]")
PERSON_ROLE = re.compile(
    r"(?:证人|员工|工人|职工|司机|村民|群众|举报人|投诉人|见证人|委托代理人|代理人|负责人|操作工)[：:\s]?([\u4e00-\u9fff]{2,3})"
    r"(?=[，,。；;（(\s]|$)"
)

# words that follow 证人、负责人 and the like in decisions but are not names (证人证言, 负责人签字)
NOT_NAMES = {"证言", "证词", "笔录", "陈述", "签字", "签名", "到场", "在场", "确认", "核实"}


@dataclass(frozen=True)
class Span:
    """One passage to hide: [start, end) in the original, why, and whether detection is sure of it."""

    start: int
    end: int
    kind: str
    sure: bool = True
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _valid_id(number: str) -> bool:
    try:
        validate_resident_id(number)
    except ValidationError:
        return False
    return True


def detect(text: str, *, party_name: str = "", keep: tuple[str, ...] = ()) -> list[Span]:
    """Suggested masks for `text`. `party_name` (the punished person) and `keep` (the agency's own phone numbers,
    names that are public such as officers') stay visible. An 18-digit number whose check digit fails is listed as
    unsure: it is probably not an ID number, but a clerk should look."""
    spans: list[Span] = []
    for match in ID_NUMBER.finditer(text):
        valid = _valid_id(match.group())
        spans.append(
            Span(
                match.start(),
                match.end(),
                "id_number",
                sure=valid,
                note="" if valid else str(_("形似身份证号码但校验码不符")),
            )
        )
    for pattern in (MOBILE, LANDLINE):
        for match in pattern.finditer(text):
            if match.group() not in keep:
                spans.append(Span(match.start(), match.end(), "phone"))
    for match in ACCOUNT.finditer(text):
        spans.append(Span(match.start(1), match.end(1), "bank_account"))
    for match in ADDRESS.finditer(text):
        spans.append(Span(match.start(1), match.end(1), "address"))
    public = {party_name, *keep, *NOT_NAMES}
    for pattern in (PERSON_INTRO, PERSON_ROLE):
        for match in pattern.finditer(text):
            if match.group(1) not in public:
                spans.append(Span(match.start(1), match.end(1), "name"))
    names = {text[span.start : span.end] for span in spans if span.kind == "name"}
    for name in names:  # the same person named again later in the text
        for match in re.finditer(re.escape(name), text):
            spans.append(Span(match.start(), match.end(), "name"))
    return merge(spans)


def merge(spans: list[Span]) -> list[Span]:
    """Sorted, without duplicates; overlapping spans joined (the first one's kind wins)."""
    result: list[Span] = []
    for span in sorted(set(spans), key=lambda item: (item.start, -item.end)):
        if result and span.start < result[-1].end:
            last = result[-1]
            result[-1] = Span(last.start, max(last.end, span.end), last.kind, last.sure and span.sure, last.note)
        else:
            result.append(span)
    return result


def mask(text: str, kind: str) -> str:
    """What a hidden passage reads as: a name keeps its surname (张某), numbers become stars, the rest a label."""
    if kind == "name":
        return text[0] + "某"
    if kind in ("id_number", "phone", "bank_account"):
        return "*" * len(text)
    return "［" + str(_("已依法隐去")) + "］"


def apply(text: str, spans: list[dict]) -> str:
    """The published text: `text` with every span replaced by its mask."""
    out, position = [], 0
    for span in sorted(spans, key=lambda item: item["start"]):
        out.append(text[position : span["start"]])
        out.append(mask(text[span["start"] : span["end"]], span["kind"]))
        position = span["end"]
    out.append(text[position:])
    return "".join(out)


def occurrences(text: str, phrase: str, kind: str) -> list[Span]:
    """Every place `phrase` occurs in `text`, as spans of `kind` (a clerk masks a passage by typing it)."""
    return [Span(match.start(), match.end(), kind) for match in re.finditer(re.escape(phrase), text)] if phrase else []


def segments(text: str, spans: list[dict]) -> list[tuple[str, str]]:
    """`text` cut into (passage, kind) pieces, kind "" where nothing is hidden — for the side-by-side preview."""
    pieces, position = [], 0
    for span in sorted(spans, key=lambda item: item["start"]):
        if span["start"] > position:
            pieces.append((text[position : span["start"]], ""))
        pieces.append((text[span["start"] : span["end"]], span["kind"]))
        position = span["end"]
    if position < len(text):
        pieces.append((text[position:], ""))
    return pieces


def validate_spans(text: str, spans: list[dict]) -> list[dict]:
    """Spans a clerk sent back: inside the text, of a known kind, not overlapping."""
    cleaned = []
    for span in spans:
        try:
            start, end, kind = int(span["start"]), int(span["end"]), str(span["kind"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("遮盖范围格式不正确。"), code="bad_span") from None
        if not 0 <= start < end <= len(text) or kind not in KINDS:
            raise ValidationError(_("遮盖范围超出原文或类别未知。"), code="bad_span")
        cleaned.append(Span(start, end, kind, bool(span.get("sure", True)), str(span.get("note", ""))))
    return [span.as_dict() for span in merge(cleaned)]
