"""Writes to the reference data the agencies administer: the national working-day calendar (the province's
administrators keep it, core computes with it) and an agency's own values of the rules (core.Rule). Each change is
a public ledger entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.core import calendar
from sanxiang.core.errors import RuleViolation
from sanxiang.core.models import CalendarDay, CalendarYear, Rule, RuleUnit
from sanxiang.ledger.services import ledger_append


@transaction.atomic
def calendar_day_set(*, actor=None, day: dt.date, kind: str, name: str = "", source: str = "") -> CalendarDay:
    """Record a holiday or an adjusted working day; the year is created as a draft when it is new."""
    if kind not in CalendarDay.Kind.values:
        raise ValidationError(_("类型应为 workday（工作日）或 holiday（休息日）。"), code="calendar_kind")
    if not 1949 <= day.year <= 2200:
        raise ValidationError(_("日期应在 1949 年至 2200 年之间。"), code="calendar_year_range")
    year, _created = CalendarYear.objects.select_for_update().get_or_create(
        year=day.year, defaults={"source": source or _("人工录入")}
    )
    entry, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"calendar_year": year, "kind": kind, "name": name}
    )
    year.save(update_fields=["updated_at"])
    ledger_append(
        actor=actor,
        agency=None,
        action="calendar.day_set",
        subject=entry,
        data={"date": day, "kind": kind, "name": name},
        public=True,
    )
    transaction.on_commit(calendar.invalidate)
    calendar.invalidate()
    return entry


@transaction.atomic
def calendar_year_confirm(*, actor=None, year: int, source: str) -> CalendarYear:
    """Mark a year's schedule as complete and official, so its deadlines stop being provisional."""
    if not source.strip():
        raise ValidationError(_("请注明依据，如国务院办公厅放假安排通知的名称和文号。"), code="calendar_source")
    try:
        entry = CalendarYear.objects.select_for_update().get(year=year)
    except CalendarYear.DoesNotExist:
        raise ValidationError(
            _("%(year)d 年尚未录入任何节假日安排，不能确认。"), code="calendar_year_empty", params={"year": year}
        ) from None
    if not entry.days.filter(kind=CalendarDay.Kind.HOLIDAY).exists():
        raise ValidationError(
            _("%(year)d 年尚未录入法定节假日，不能确认。"), code="calendar_year_empty", params={"year": year}
        )
    entry.status = CalendarYear.Status.CONFIRMED
    entry.source = source.strip()
    entry.save(update_fields=["status", "source", "updated_at"])
    ledger_append(
        actor=actor,
        agency=None,
        action="calendar.year_confirm",
        subject=entry,
        data={"year": year, "source": entry.source},
        public=True,
    )
    transaction.on_commit(calendar.invalidate)
    calendar.invalidate()
    return entry


@transaction.atomic
def calendar_import_package(*, actor=None) -> list[int]:
    """Load every year the `chinesecalendar` package knows and the database does not; returns the years added.

    Years already in the database are left alone: an administrator's entries win over the package.
    """
    source, added = calendar.schedule_import()
    for year, days in added.items():
        ledger_append(
            actor=actor,
            agency=None,
            action="calendar.year_import",
            subject=CalendarYear.objects.get(year=year),
            data={"year": year, "source": source, "days": days},
            public=True,
        )
    return sorted(added)


@transaction.atomic
def rule_set(*, actor, key: str, agency, value, citation: str) -> Rule:
    """Set an agency's own value of a rule (e.g. its local 较大数额), with the local rule that says so.

    The national default row is the template: the unit and description are inherited from it.
    """
    default = Rule.objects.filter(key=key, agency_code="").first()
    if default is None:
        raise ValidationError(_("没有这条规则：%(key)s") % {"key": key}, code="unknown_rule")
    if not citation.strip():
        raise ValidationError({"citation": _("请注明本地规定的名称和条款。")})
    value = Decimal(str(value))
    if value < 0:
        raise ValidationError({"value": _("数值不能为负数。")})
    if default.unit == RuleUnit.READING and value not in (0, 1):
        raise ValidationError({"value": _("解释类规则只能填 1（是）或 0（否）。")})
    if default.floor is not None and value < default.floor:
        raise RuleViolation(
            _("%(title)s不得短于（低于）法定的 %(floor)s %(unit)s")
            % {"title": default.title, "floor": default.floor.normalize(), "unit": default.get_unit_display()},
            code="rule_below_floor",
            citation=default.citation,
        )
    if default.ceiling is not None and value > default.ceiling:
        raise RuleViolation(
            _("%(title)s不得长于（高于）法定的 %(ceiling)s %(unit)s")
            % {"title": default.title, "ceiling": default.ceiling.normalize(), "unit": default.get_unit_display()},
            code="rule_above_ceiling",
            citation=default.citation,
        )
    entry, _created = Rule.objects.update_or_create(
        key=key,
        agency_code=agency.code,
        defaults={
            "value": value,
            "unit": default.unit,
            "title": default.title,
            "citation": citation.strip(),
            "confidence": Rule.Confidence.CHECKED,
        },
    )
    ledger_append(
        actor=actor,
        agency=agency,
        action="rule.set",
        subject=entry,
        data={"key": key, "value": value, "citation": entry.citation},
        public=True,
    )
    return entry
