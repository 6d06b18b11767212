"""Template filters for deadlines, in the one wording of core.wording: `{{ day|deadline }}` reads
"2026-10-12（含当日）前", `{{ day|last_day }}` reads "2026-10-12（含当日）"."""

from django import template

from sanxiang.core.wording import deadline_words, last_day_words

register = template.Library()


@register.filter
def deadline(day) -> str:
    """The day by which to act, itself included ("" when there is none)."""
    return deadline_words(day) if day else ""


@register.filter
def last_day(day) -> str:
    """The last day of a period, itself included ("" when there is none)."""
    return last_day_words(day) if day else ""
