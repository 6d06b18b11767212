"""The kinds of mark (标记) an enterprise puts on its data under 《污染物排放自动监测设备标记规则》 (生态环境部公告2022年第21号,
in force 2023-01-01): data in a marked period is stored and shown, never used to find an exceedance.

The rule's own list was not read (docs/domain.md §27). What is known [C2] — the MEE 执法局 Q&A and 上海市生态环境局's notice
under 环办执法函〔2022〕373号 — is that the unit marks device states (故障、维护、调试) and abnormal 工况 of production or
pollution-control facilities (启停机、故障); the others come from the draft's list (停运、停产、检修、启停炉、校准) and are
unverified [U]. Kept as data so that reading the rule changes a table, not code.
"""

from __future__ import annotations

from dataclasses import dataclass

RULE = "《污染物排放自动监测设备标记规则》（生态环境部公告2022年第21号）"


@dataclass(frozen=True)
class MarkKind:
    code: str
    label: str
    citation: str
    verified: bool  # False: [U], not found in the rule's text or an authoritative reprint of it


MARK_KINDS: tuple[MarkKind, ...] = (
    MarkKind("device_fault", "自动监测设备故障", f"{RULE}；执法局答记者问 [C2]", True),
    MarkKind("maintenance", "自动监测设备维护", f"{RULE}；执法局答记者问 [C2]", True),
    MarkKind("commissioning", "自动监测设备调试", f"{RULE}；执法局答记者问 [C2]", True),
    MarkKind("startup_shutdown", "生产设施启停机（启停炉）", f"{RULE}；执法局答记者问 [C2]", True),
    MarkKind("facility_fault", "生产或污染治理设施故障", f"{RULE}；执法局答记者问 [C2]", True),
    MarkKind("calibration", "自动监测设备校准", f"{RULE}（征求意见稿所列）[U]", False),
    MarkKind("overhaul", "设施检修", f"{RULE}（征求意见稿所列）[U]", False),
    MarkKind("halt", "停运、停产", f"{RULE}（征求意见稿所列）[U]", False),
)

MARK_KIND_BY_CODE: dict[str, MarkKind] = {kind.code: kind for kind in MARK_KINDS}
MARK_KIND_CHOICES = [(kind.code, kind.label) for kind in MARK_KINDS]
