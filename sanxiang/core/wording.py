"""How a deadline reads wherever a party or an officer meets it — the workbench, the portal, notifications and the
documents: one wording, which says that the last day itself is included.

A period's last day counts in full: the start day is not counted and a step taken on the last day is in time
(《环境行政处罚办法》（2010）第七十九条; core.calendar computes every deadline that way), so every date shown as a
deadline is the last day on which the party or the officer may still act.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def day_words(day: dt.date, *, formal: bool = False) -> str:
    """A day as the workbench shows it ("2026-10-12"), or as a document writes it ("2026年10月12日")."""
    if formal:
        return _("%(year)d年%(month)d月%(day)d日") % {"year": day.year, "month": day.month, "day": day.day}
    return day.isoformat()


def last_day_words(day: dt.date, *, formal: bool = False) -> str:
    """The last day of a period, said to be included: "2026-10-12（含当日）"."""
    return _("%(day)s（含当日）") % {"day": day_words(day, formal=formal)}


def deadline_words(day: dt.date, *, formal: bool = False) -> str:
    """The day by which to act, itself included: "2026-10-12（含当日）前"."""
    return _("%(day)s（含当日）前") % {"day": day_words(day, formal=formal)}


def period_words(start: dt.date, end: dt.date, *, formal: bool = False) -> str:
    """A period from its first to its last day: "2026-09-08 至 2026-10-08（含当日）"."""
    separator = _("至") if formal else f" {_('至')} "
    return day_words(start, formal=formal) + separator + last_day_words(end, formal=formal)
