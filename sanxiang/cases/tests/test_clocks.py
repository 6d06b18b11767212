"""One calendar rule for every period, and suspended time counted day by day.

A calendar-day, month or year period whose last day is a rest day ends on the next working day — a seizure's too —
unless the clock's own rule reads it otherwise (the limitation and the portal's display periods end where the count
ends). Every legal date goes through one calendar function: no service adds days to a date itself. Suspensions of
the 90-day clock count every calendar day on which they were in progress, both ends included, each day once."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from sanxiang.cases import deadlines, services
from sanxiang.core import calendar
from sanxiang.core.rules import deadline, rule
from sanxiang.testing.cases import FILED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.measures import record, seizure

ROOT = Path(__file__).resolve().parents[3]


def test_a_seizure_ending_in_the_national_day_holiday_ends_on_the_first_working_day_after_it(world):
    case = walk(world, open_case(world), "filed")
    record(world, case)
    sealed = seizure(world, case, days=26)  # 8 September + 26 days = Sunday 4 October, inside 国庆
    assert sealed.ends_on == dt.date(2026, 10, 8)
    assert rule("seizure.max_days", world.harbin).moves_off_rest_day


def test_the_limitation_period_ends_on_its_own_last_day_even_a_sunday(world):
    assert not rule("limitation.years", world.harbin).moves_off_rest_day
    assert "不顺延" in rule("limitation.years", world.harbin).title
    # two years from Friday 30 August 2024 end on Sunday 30 August 2026; found on the Monday, it is too late
    case = open_case(world, act_date=dt.date(2024, 8, 30), discovered_on=dt.date(2026, 8, 31))
    with at(dt.date(2026, 9, 1)):
        refused(
            "limitation_expired",
            lambda: services.case_file(
                actor=world.people.head,
                case=case,
                investigators=[world.people.officer, world.people.partner],
                opinion="同意",
            ),
        )


def test_a_display_period_runs_out_on_a_saturday_as_well(world):
    # a general penalty decided on Monday 12 October 2026 leaves the portal a year later, Tuesday 12 October 2027;
    # the minimum of three months ends on Tuesday 12 January 2027 — neither is moved, and 12 Sept 2026 + 3 months,
    # a Saturday, stays a Saturday
    end = deadline("publication.general_min_months", dt.date(2026, 9, 12), world.harbin)
    assert end.date == dt.date(2026, 12, 12) and end.date.weekday() == 5


@pytest.mark.parametrize(
    ("unit", "amount", "moves", "expected"),
    [
        ("calendar_days", 26, True, dt.date(2026, 10, 8)),
        ("calendar_days", 26, False, dt.date(2026, 10, 4)),
        ("working_days", 5, True, dt.date(2026, 9, 15)),
        ("months", 1, True, dt.date(2026, 10, 8)),  # 8 October, a working day
        ("years", 1, True, dt.date(2027, 9, 8)),
    ],
)
def test_one_function_counts_every_unit(world, unit, amount, moves, expected):
    assert calendar.period_end(dt.date(2026, 9, 8), amount, unit, moves=moves).date == expected


def _date_arithmetic(path: Path) -> list[int]:
    """Lines of `path` that add days to a date directly or move a date's year: `timedelta(days=…)` (or `weeks=`,
    or a positional count), `date.replace(year=…)`, `relativedelta`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        keywords = {keyword.arg for keyword in node.keywords}
        if (
            (name == "timedelta" and (node.args or keywords & {"days", "weeks"}))
            or (name == "replace" and "year" in keywords)
            or name == "relativedelta"
        ):
            found.append(node.lineno)
    return found


def test_no_service_does_its_own_date_arithmetic_on_a_legal_period():
    modules = [
        *ROOT.glob("sanxiang/*/services.py"),
        *ROOT.glob("sanxiang/*/services/*.py"),
        *ROOT.glob("sanxiang/*/gates.py"),
        *ROOT.glob("sanxiang/*/deadlines.py"),
        *ROOT.glob("sanxiang/*/periods.py"),
        ROOT / "sanxiang/core/rules.py",
    ]
    assert len(modules) > 20
    # an API token's lifetime, an authenticator enrolment's and the home page's "due within a week" window are not
    # legal periods; the audit log's retention is counted in days, as its database triggers count them; nor are an
    # e-mail subscription's confirmation window and its day's cap of confirmation messages
    allowed = {
        "sanxiang/publicity/services/subscriptions.py",
        "sanxiang/api/services.py",
        "sanxiang/web/services.py",
        "sanxiang/agencies/services/second_factor.py",
        "sanxiang/audit/services.py",
    }
    found = [
        f"{name}:{line}"
        for name, path in ((str(path.relative_to(ROOT)), path) for path in modules)
        if name not in allowed
        for line in _date_arithmetic(path)
    ]
    assert found == []


def test_the_scan_sees_direct_arithmetic(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nend = start + dt.timedelta(days=30)\nyear = d.replace(year=2030)\n"
        "later = now + dt.timedelta(hours=24)\n"
    )
    assert sorted(_date_arithmetic(sample)) == [2, 3]


def suspend(world, case, kind, started_on, ended_on, recorded_on):
    with at(recorded_on):
        case = services.case_suspend(
            actor=world.people.officer, case=case, kind=kind, started_on=started_on, late_reason="补录监测中止"
        )
        return services.case_resume(
            actor=world.people.officer, case=case, ended_on=ended_on, late_reason="补录监测中止"
        )


def test_a_suspension_of_one_day_counts_one_day(world):
    case = walk(world, open_case(world), "filed")
    base = deadlines.decision_due(case, today=dt.date(2026, 9, 20)).date
    assert base == dt.date(2026, 12, 2)  # 3 September + 90 days
    case = suspend(world, case, "monitoring", dt.date(2026, 9, 10), dt.date(2026, 9, 10), dt.date(2026, 9, 11))
    assert deadlines.suspended_days(case, today=dt.date(2026, 9, 20)) == 1
    assert deadlines.decision_due(case, today=dt.date(2026, 9, 20)).date == dt.date(2026, 12, 3)


def test_overlapping_suspensions_count_each_day_once(world):
    case = walk(world, open_case(world), "filed")
    case = suspend(world, case, "monitoring", dt.date(2026, 9, 7), dt.date(2026, 9, 11), dt.date(2026, 9, 14))
    case = suspend(world, case, "appraisal", dt.date(2026, 9, 9), dt.date(2026, 9, 14), dt.date(2026, 9, 15))
    spans = deadlines.suspension_spans(case, today=dt.date(2026, 9, 20))
    assert [span.days for span in spans] == [5, 6]
    assert deadlines.suspended_days(case, today=dt.date(2026, 9, 20)) == 8  # 7 to 14 September


def test_an_open_suspension_counts_up_to_today_included(world):
    case = walk(world, open_case(world), "filed")
    with at(FILED + dt.timedelta(days=2)):
        case = services.case_suspend(
            actor=world.people.officer, case=case, kind="monitoring", started_on=FILED + dt.timedelta(days=2)
        )
    assert deadlines.suspended_days(case, today=FILED + dt.timedelta(days=2)) == 1
    assert deadlines.suspended_days(case, today=FILED + dt.timedelta(days=4)) == 3


def test_the_case_page_lists_each_suspension_its_days_and_the_due_date(world, client):
    case = walk(world, open_case(world), "filed")
    case = suspend(world, case, "monitoring", dt.date(2026, 9, 10), dt.date(2026, 9, 12), dt.date(2026, 9, 14))
    client.force_login(world.people.officer)
    with at(dt.date(2026, 9, 20)):
        page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "办案期限" in page and "2026-12-07（含当日）" in page  # 2 Dec + 3 days = Saturday 5 Dec, so Monday
    assert "2026-09-10" in page and "2026-09-12" in page and "<td>3</td>" in page
    assert "起止两日均计入" in page
