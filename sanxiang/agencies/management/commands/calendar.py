import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sanxiang.agencies.services import calendar_day_set, calendar_import_package, calendar_year_confirm
from sanxiang.core import calendar
from sanxiang.core.models import CalendarDay, CalendarYear


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value!r} / expected YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "工作日历：计算期限、录入节假日安排 / Working-day calendar: compute deadlines, enter holiday schedules"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        deadline = actions.add_parser(
            "deadline", help="计算期限（起算日不计入）/ compute a deadline (the start day is not counted)"
        )
        deadline.add_argument("--from", dest="start", required=True, type=_date, help="起算日 / start date")
        period = deadline.add_mutually_exclusive_group(required=True)
        period.add_argument("--workdays", type=int, help="工作日数 / number of working days")
        period.add_argument("--days", type=int, help="自然日数（届满日为休息日的顺延）/ calendar days")
        setter = actions.add_parser("set", help="录入一天的安排 / set one day as working day or holiday")
        setter.add_argument("date", type=_date)
        setter.add_argument("kind", choices=CalendarDay.Kind.values)
        setter.add_argument("--name", default="", help="节日名称，如 国庆节 / holiday name")
        confirm = actions.add_parser("confirm", help="确认某年安排已完整 / confirm a year's schedule is complete")
        confirm.add_argument("year", type=int)
        confirm.add_argument("--source", required=True, help="依据（通知名称、文号）/ the official notice")
        actions.add_parser("status", help="列出已知年份 / list the years the calendar knows")
        actions.add_parser("import", help="从 chinesecalendar 包导入新年份 / import new years from the package")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ValidationError, ValueError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("；".join(messages)) from None

    def _deadline(self, *, start, workdays, days, **_):
        if (workdays if workdays is not None else days) < 0:
            raise CommandError("期限不能为负数 / a period cannot be negative")
        result = (
            calendar.add_working_days(start, workdays)
            if workdays is not None
            else calendar.add_calendar_days(start, days)
        )
        self.stdout.write(str(result))
        if result.provisional:
            years = ", ".join(str(year) for year in result.unknown_years)
            self.stderr.write(f"注意：{years} 年的节假日安排尚未确认，结果为暂定。/ provisional: {years} not confirmed")

    def _set(self, *, date, kind, name, **_):
        day = calendar_day_set(actor="cli", day=date, kind=kind, name=name)
        self.stdout.write(f"{day.date.isoformat()} {day.kind} {day.name}".rstrip())

    def _confirm(self, *, year, source, **_):
        entry = calendar_year_confirm(actor="cli", year=year, source=source)
        self.stdout.write(f"{entry.year} confirmed")

    def _status(self, **_):
        for entry in CalendarYear.objects.all():
            holidays = entry.days.filter(kind=CalendarDay.Kind.HOLIDAY).count()
            workdays = entry.days.filter(kind=CalendarDay.Kind.WORKDAY).count()
            self.stdout.write(f"{entry.year}\t{entry.status}\t{holidays} holidays\t{workdays} workdays\t{entry.source}")

    def _import(self, **_):
        added = calendar_import_package(actor="cli")
        self.stdout.write(f"imported: {', '.join(map(str, added))}" if added else "nothing new")
