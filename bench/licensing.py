"""行政许可 at scale: 100,000 applications of the province's 22 agencies over two years, on SQLite, and on PostgreSQL
when the server BENCH_POSTGRES names answers (default postgres://postgres@127.0.0.1:5432; a fresh database
`sanxiang_bench_licensing` there, dropped afterwards).

The applications are bulk-inserted (benchmark data, not the demo story) in the order they arrived, each with the
status and dates its age gives it — most decided and served, the last weeks' received, waiting for materials, under
examination or paused, a few past their deadline — and the ledger entries its steps would have written, appended day
by day (`ledger_append_many` at the day's time), since the progress page reads its steps from the ledger.

Measured through Django's full stack in process, p50 / p95 / max in ms after one warm-up call (target p95 < 100 ms),
each beside a baseline of the same run: the public progress page by number (`/licences/progress/?number=…`, forty
different applications in turn) and its selector, against the bare `/healthz` view and a primary-key read of one
application; the window's list for a staff member of 哈尔滨市生态环境局 (its four district branches in scope), first
page, and the same list of applications past their deadline — through `selectors.window_list` and through
`GET /api/v1/licensing/applications/` with the officer's token and through the workbench's page (`/workbench/licensing/`,
the officer logged in), each with the working days left to its next deadline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time

from bench.common import against, measured_inside, on_both_engines, page_call, write_result
from bench.common import timed as common_timed

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", 100_000))
SAMPLES = 40
DAYS = 730  # received over the last two years
TARGET_P95_MS = 100
BATCH = 5000
# Applications per agency, relative: 哈尔滨 most, the other large cities next, each branch a little.
WEIGHTS = {"230100": 6, "230200": 3, "230600": 3, "231000": 3, "230000": 2}
TYPES = [
    ("HP-BGS", "建设项目环境影响报告书审批", "《中华人民共和国环境影响评价法》第二十二条", 60, "calendar_days"),
    ("HP-BGB", "建设项目环境影响报告表审批", "《中华人民共和国环境影响评价法》第二十二条", 30, "calendar_days"),
    ("PWXK", "排污许可证核发", "《排污许可管理条例》第十三条", 20, "working_days"),
]
MATERIALS = [("M1", "申请书"), ("M2", "申请材料正文"), ("M3", "其他说明材料")]


def run() -> dict:
    result = {"applications": APPLICATIONS} | on_both_engines("sanxiang_bench_licensing", _measure)
    measured = [result[name] for name in ("sqlite", "postgresql") if result[name]]
    result["targets"] = {"p95_ms": TARGET_P95_MS}
    result["passed"] = {
        name: all(figures[name][way]["p95"] < TARGET_P95_MS for figures in measured for way in figures[name])
        for name in ("progress", "window", "overdue")
    }
    write_result("licensing", result)
    return result


def _measure(extra: dict) -> dict:
    return measured_inside("bench.licensing", extra, demo=False)


# ---- inside the installation's own Python process ----


class Days:
    """Working-day arithmetic on one reading of the calendar (the services read it once per call)."""

    def __init__(self):
        from sanxiang.core import calendar

        self.calendar = calendar.work_calendar()

    def after(self, day: dt.date, days: int) -> dt.date:
        return self.calendar.add_working_days(day, days).date

    def period(self, day: dt.date, days: int, unit: str) -> dt.date:
        return self.calendar.period_end(day, days, unit).date

    def between(self, start: dt.date, end: dt.date) -> int:
        return self.calendar.working_days_between(start, end)


def _types(agencies) -> list:
    from sanxiang.licensing.models import Category, LicenceType, Material

    types = LicenceType.objects.bulk_create(
        LicenceType(
            agency=agency,
            code=code,
            name=name,
            category=Category.APPROVAL,
            basis=basis,
            decision_days=days,
            decision_unit=unit,
            decision_citation=basis,
            window=agency.address,
        )
        for agency in agencies
        for code, name, basis, days, unit in TYPES
    )
    Material.objects.bulk_create(
        Material(licence_type=kind, code=code, name=name, required=code != "M3")
        for kind in types
        for code, name in MATERIALS
    )
    return types


def _life(rng: random.Random, days: Days, kind, received: dt.date, today: dt.date) -> tuple[dict, list]:
    """An application's status and dates as its age gives them, and its steps (move, day)."""
    state = {"status": "received", "received_on": received, "accept_due_on": days.after(received, 5)}
    steps = [("submit", received)]
    fresh = days.between(received, today) < 5
    if fresh and rng.random() < 0.6:  # acceptance not decided yet, or materials asked for
        if rng.random() < 0.25:
            state["status"] = "supplement"
            steps.append(("supplement_request", received))
        return state, steps
    if not fresh and rng.random() < 0.04:  # 不予受理
        decided = days.after(received, rng.randint(1, 4))
        state.update(status="rejected", decided_on=decided, closed_on=decided)
        return state, [*steps, ("reject", decided)]
    accepted = min(days.after(received, rng.randint(0, 4)), today)
    due = days.period(accepted, kind.decision_days, kind.decision_unit)
    state.update(status="accepted", accepted_on=accepted, decision_due_on=due)
    steps.append(("accept", accepted))
    decided = days.period(accepted, rng.randint(3, kind.decision_days - 1), kind.decision_unit)
    late = due < today and rng.random() < 0.005  # a few left past their deadline
    if decided > today or late:
        if not late and rng.random() < 0.15:  # an expert review under way
            state["status"] = "paused"
            steps.append(("pause", min(days.after(accepted, 2), today)))
        return state, steps
    outcome = rng.choices(["granted", "refused", "withdrawn"], [90, 6, 4])[0]
    if outcome == "withdrawn":
        state.update(status=outcome, closed_on=decided)
        return state, [*steps, ("withdraw", decided)]
    state.update(status=outcome, decided_on=decided, service_due_on=days.after(decided, 10))
    steps.append(("grant" if outcome == "granted" else "refuse", decided))
    served = days.after(decided, rng.randint(1, 8))
    if served <= today:
        state.update(served_on=served, closed_on=served)
        steps.append(("serve", served))
    return state, steps


def _fill(agencies, types, window_officer, today: dt.date) -> int:
    """The applications, oldest first (ids grow with time, as in use), their open pauses and their entries."""
    from sanxiang.licensing.models import Application, Pause
    from sanxiang.licensing.services.intake import NUMBER_ALPHABET

    rng, days = random.Random(2026), Days()
    weights = [WEIGHTS.get(agency.code, 2 if agency.level == "city" else 1) for agency in agencies]
    by_agency = {agency.pk: [kind for kind in types if kind.agency_id == agency.pk] for agency in agencies}
    first = today - dt.timedelta(days=DAYS)
    numbers, rows, events = set(), [], []
    for index in range(APPLICATIONS):
        received = first + dt.timedelta(days=DAYS * index // APPLICATIONS)
        if received.weekday() >= 5:  # the window is closed; online applications count from the next working day
            received += dt.timedelta(days=7 - received.weekday())
        received = min(received, today)
        agency = rng.choices(agencies, weights)[0]
        kind = rng.choice(by_agency[agency.pk])
        state, steps = _life(rng, days, kind, received, today)
        number = ""
        while not number or number in numbers:
            number = f"XK{received:%Y%m%d}-" + "".join(rng.choice(NUMBER_ALPHABET) for _ in range(6))
        numbers.add(number)
        rows.append(
            Application(
                agency=agency,
                licence_type=kind,
                number=number,
                channel=rng.choice(["window", "online"]),
                applicant_name=f"基准测试企业{index:06d}有限公司",
                contact_name="王强",
                phone=f"138{index:08d}",
                project=f"基准项目{index:06d}",
                request=f"申请{kind.name}",
                materials=["M1", "M2"],
                **state,
            )
        )
        events.append(steps)
    made = []
    for start in range(0, len(rows), BATCH):
        made += Application.objects.bulk_create(rows[start : start + BATCH])
    Pause.objects.bulk_create(
        Pause(application=row, kind="expert", started_on=steps[-1][1], expected_days=10, reason="专家评审")
        for row, steps in zip(made, events, strict=True)
        if row.status == "paused"
    )
    return _ledger(made, events, window_officer)


def _ledger(applications, events, officer) -> int:
    """Each step's entry, appended day by day at that day's time, as the services would have (one transaction a
    day here, one a step there)."""
    import time_machine
    from django.db import transaction

    from sanxiang.ledger.services import Record, actor_label, ledger_append_many

    by_day: dict[dt.date, list] = {}
    for application, steps in zip(applications, events, strict=True):
        for move, day in steps:
            actor = "system" if move == "submit" and application.channel == "online" else actor_label(officer)
            record = Record(
                action=f"licence_application.{move}",
                subject_type="licensing.application",
                subject_id=str(application.pk),
                actor=actor,
                agency=application.agency.code,
                data={"number": application.number, "kind": application.kind, "public": False},
            )
            by_day.setdefault(day, []).append(record)
    for day in sorted(by_day):
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False):
            with transaction.atomic():
                ledger_append_many(by_day[day])
    return sum(len(records) for records in by_day.values())


def _inner() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from sanxiang.agencies.models import Role
    from sanxiang.agencies.services import staff_create
    from sanxiang.api.services import api_token_create
    from sanxiang.demo.agencies import load_agencies
    from sanxiang.licensing import selectors
    from sanxiang.licensing.models import Application
    from sanxiang.testing.otp import mark_verified

    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    started = time.perf_counter()
    agencies = sorted(load_agencies(today=today).values(), key=lambda agency: agency.path)
    harbin = next(agency for agency in agencies if agency.code == "230100")
    officer = staff_create(
        actor=None,
        agency=harbin,
        username="bench.window",
        full_name="窗口人员",
        roles=[Role.OFFICER],
        password="Songhua-River-4791",
    )
    entries = _fill(agencies, _types(agencies), officer, today)
    with connection.cursor() as cursor:  # as the database's own maintenance would have done
        cursor.execute("ANALYZE")
    fill_seconds = time.perf_counter() - started

    _token, raw = api_token_create(actor=None, user=officer, name="bench", scope="read")
    web = Client()
    numbers = list(Application.objects.order_by("?").values_list("number", flat=True)[:SAMPLES])
    one = Application.objects.order_by("?").values_list("pk", flat=True).first()
    turn = iter(range(10**9))

    desk = Client()  # the officer signed in, past the second factor (the login itself is bench/login.py's)
    desk.force_login(officer)
    mark_verified(desk, officer)

    def page(path, client=web, **headers):
        return page_call(client, path, **headers)

    def timed(call) -> dict:
        return common_timed(call, SAMPLES)

    token = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    bare = timed(page("/healthz"))
    by_pk = timed(lambda: Application.objects.filter(pk=one).first())
    progress_http = timed(page(lambda: f"/licences/progress/?number={numbers[next(turn) % SAMPLES]}"))
    progress_selector = timed(lambda: selectors.progress(numbers[next(turn) % SAMPLES]))
    window_api = timed(page("/api/v1/licensing/applications/", **token))
    window_selector = timed(lambda: list(selectors.window_list(officer)[: selectors.WINDOW_PAGE]))
    window_page = timed(page("/workbench/licensing/", client=desk))
    overdue_page = timed(page("/workbench/licensing/?status=overdue", client=desk))
    overdue_api = timed(page("/api/v1/licensing/applications/?overdue=true", **token))
    overdue_selector = timed(lambda: list(selectors.window_list(officer, overdue=True)[: selectors.WINDOW_PAGE]))
    scope = selectors.window_list(officer)
    return {
        "fill_seconds": round(fill_seconds, 1),
        "ledger_entries": entries,
        "harbin_scope": scope.count(),
        "harbin_overdue": selectors.window_list(officer, overdue=True).count(),
        "statuses": dict(Application.objects.values_list("status").annotate(n=Count("id")).order_by("status")),
        "baseline": {"healthz_http": bare, "application_by_pk": by_pk},
        "progress": {"http": against(progress_http, bare), "selector": against(progress_selector, by_pk)},
        "window": {
            "http": against(window_api, bare),
            "page": against(window_page, bare),
            "selector": against(window_selector, by_pk),
        },
        "overdue": {
            "http": against(overdue_api, bare),
            "page": against(overdue_page, bare),
            "selector": against(overdue_selector, by_pk),
        },
    }


if __name__ == "__main__":
    print(json.dumps(_inner(), ensure_ascii=False))
