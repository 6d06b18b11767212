"""Reading rules with legal force: the most specific value along an agency's hierarchy, with its citation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from sanxiang.core import calendar
from sanxiang.core.models import Rule, RuleUnit

PERIODS = {RuleUnit.WORKING_DAYS, RuleUnit.CALENDAR_DAYS, RuleUnit.MONTHS, RuleUnit.YEARS}
UNIT_WORDS = {RuleUnit.WORKING_DAYS: _("个工作日"), RuleUnit.COUNT: _("人")}


@dataclass(frozen=True)
class RuleValue:
    key: str
    value: Decimal
    unit: str
    title: str
    citation: str
    agency_code: str
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    moves_off_rest_day: bool = True

    @property
    def number(self) -> int:
        return int(self.value)

    @property
    def display(self) -> str:
        """The value in words, e.g. "5 个工作日", "200,000 元", "是"."""
        if self.unit == RuleUnit.READING:
            return _("是") if self.number else _("否")
        number = f"{self.value.normalize():,f}"
        return f"{number} {UNIT_WORDS.get(self.unit) or RuleUnit(self.unit).label}"


def _codes(agency) -> list[str]:
    """The agency's own code first, then its ancestors', then the national default ("")."""
    if agency is None:
        return [""]
    return [*agency.lineage, ""]


def rule(key: str, agency=None) -> RuleValue:
    """The rule `key` as it applies to `agency` (an object with a `path` of codes), or the national default."""
    codes = _codes(agency)
    return _resolve(key, codes, {row.agency_code: row for row in Rule.objects.filter(key=key, agency_code__in=codes)})


def rules_for(key: str, agencies) -> dict[int, RuleValue]:
    """The rule `key` as it applies to each of `agencies`, by the agency's id, read in one query (a list of many
    agencies' figures, each against its own rule)."""
    agencies = list(agencies)
    codes = {code for agency in agencies for code in _codes(agency)} | {""}
    rows = {row.agency_code: row for row in Rule.objects.filter(key=key, agency_code__in=codes)}
    return {agency.pk: _resolve(key, _codes(agency), rows) for agency in agencies}


def _resolve(key: str, codes: list[str], rows: dict) -> RuleValue:
    """The most specific of `rows` (by agency code) along `codes`, held within the national row's range."""
    if "" not in rows:
        raise ImproperlyConfigured(f"rule {key!r} is missing (run the migrations)")
    national = rows[""]
    row = next(rows[code] for code in codes if code in rows)
    # A local value outside the range the law leaves (set before the range was known) never applies beyond it.
    value = row.value
    if national.floor is not None:
        value = max(value, national.floor)
    if national.ceiling is not None:
        value = min(value, national.ceiling)
    return RuleValue(
        key,
        value,
        row.unit,
        row.title,
        row.citation,
        row.agency_code,
        national.floor,
        national.ceiling,
        national.moves_off_rest_day,
    )


def deadline(key: str, start: dt.date, agency=None, *, amount: int | None = None, extra: int = 0) -> calendar.Deadline:
    """The deadline that a period rule sets from `start` (start day not counted), through the calendar: the rule's
    own length, or `amount` of its units when the act chose a shorter one (a seizure of 20 days), plus `extra`."""
    value = rule(key, agency)
    length = (value.number if amount is None else amount) + extra
    if value.unit not in PERIODS:
        raise ValueError(f"rule {key} is not a period")
    return calendar.period_end(start, length, value.unit, moves=value.moves_off_rest_day)
