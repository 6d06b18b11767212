"""The annual report at a province's scale: 13 cities and the department, 10^5 cases, 10^6 inspections and 10^6
publications of 2025 (BENCH_SCALE=0.1 for a tenth), on SQLite, and on PostgreSQL when the server BENCH_POSTGRES
names answers (default postgres://postgres@127.0.0.1:5432; a fresh database `sanxiang_bench_reports`, dropped after).

The records are bulk-inserted (benchmark data, not the demo story), spread over the agencies by weight and over the
year's days. Measured in process through Django's full stack:
- the province's report generated (`report_generate`, every figure of every measure over the whole province, and its
  ledger entry), once, against a baseline of the same run: one `COUNT(*)` of each of the three big tables;
- the drill-down page of the province's 行政处罚 decisions and of its on-site inspections (first page, with the count
  of its pages), p50 / p95 / max in ms after a warm-up call, against the bare `/healthz` view;
- the province head's dashboard (`/workbench/reports/dashboard/?year=2025`), likewise, as served (its figures kept
  for SANXIANG_DASHBOARD_CACHE_SECONDS), and counted afresh on each request (`dashboard_uncached`, five calls).
Targets: generation < 30 s on PostgreSQL and < 60 s on SQLite; drill-down and dashboard p95 < 200 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from decimal import Decimal

from bench.common import against, measured_inside, on_both_engines, page_call, write_result
from bench.common import timed as common_timed

SCALE = float(os.environ.get("BENCH_SCALE", 1))
CASES = int(100_000 * SCALE)
INSPECTIONS = int(1_000_000 * SCALE)
PUBLICATIONS = int(1_000_000 * SCALE)
PARTIES = int(20_000 * SCALE) or 1
YEAR = 2025
SAMPLES = 20
BATCH = 5000
TARGETS = {"generation_s": {"sqlite": 60, "postgresql": 30}, "p95_ms": 200}
WEIGHTS = {"230100": 8, "230200": 4, "230600": 4, "231000": 3, "230000": 1}


def run() -> dict:
    result = {"cases": CASES, "inspections": INSPECTIONS, "publications": PUBLICATIONS}
    result |= on_both_engines("sanxiang_bench_reports", _measure)
    result["targets"] = TARGETS
    passed = {}
    for engine in ("sqlite", "postgresql"):
        figures = result[engine]
        if figures:
            passed[f"{engine}_generation"] = figures["generation"]["seconds"] < TARGETS["generation_s"][engine]
            passed[f"{engine}_pages"] = all(
                figures[page]["p95"] < TARGETS["p95_ms"]
                for page in ("drill_penalties", "drill_inspections", "dashboard")
            )
    result["passed"] = passed
    write_result("reports", result)
    return result


def _measure(extra: dict) -> dict:
    return measured_inside("bench.reports", extra, demo=False)


# ---- inside the installation's own Python process ----


def _weighted(agencies) -> list:
    return [agency for agency in agencies for _ in range(WEIGHTS.get(agency.code, 2 if agency.level == "city" else 1))]


def _day(rng: random.Random) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _bulk(model, rows) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])


def _fill(agencies) -> None:
    from django.utils import timezone

    from sanxiang.cases.models import Case, Inspection, Party
    from sanxiang.cases.models.case import Outcome, Stage
    from sanxiang.publicity.models import Publication

    rng = random.Random(2025)
    pool = _weighted(agencies)
    zone = timezone.get_current_timezone()
    parties = [
        Party(
            agency=pool[i % len(pool)],
            kind="enterprise",
            name=f"黑龙江省测试企业{i:06d}有限公司",
            address="黑龙江省哈尔滨市",
            division=pool[i % len(pool)].code[:4] + f"{rng.randrange(1, 20):02d}",
        )
        for i in range(PARTIES)
    ]
    _bulk(Party, parties)
    parties = list(Party.objects.only("pk", "agency_id"))
    kinds = (["fine"], ["fine"], ["fine", "confiscate_gains"], ["warning"], ["fine", "suspend_operation"])
    cases = []
    for i in range(CASES):
        party = parties[i % len(parties)]
        day = _day(rng)
        outcome = Outcome.PENALTY if rng.random() < 0.9 else rng.choice([Outcome.NO_PENALTY, Outcome.REFERRAL])
        kind = rng.choice(kinds) if outcome == Outcome.PENALTY else []
        cases.append(
            Case(
                agency_id=party.agency_id,
                number=f"BENCH-{i}",
                title="超标排放大气污染物",
                party_id=party.pk,
                source="inspection",
                act_date=day - dt.timedelta(days=40),
                discovered_on=day - dt.timedelta(days=35),
                filed_on=day - dt.timedelta(days=30),
                stage=Stage.CLOSED,
                outcome=outcome,
                decided_kinds=kind,
                decided_fine=Decimal(rng.randrange(10, 500) * 1000) if "fine" in kind else None,
                decided_on=day,
                hearing_held_on=day - dt.timedelta(days=5) if rng.random() < 0.05 else None,
            )
        )
    _bulk(Case, cases)
    del cases
    for start in range(0, INSPECTIONS, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, INSPECTIONS)):
            party = parties[i % len(parties)]
            moment = dt.datetime.combine(_day(rng), dt.time(9 + rng.randrange(8)), zone)
            rows.append(
                Inspection(
                    agency_id=party.agency_id,
                    party_id=party.pk,
                    place="厂区",
                    started_at=moment,
                    ended_at=moment + dt.timedelta(hours=2),
                    violation_found=rng.random() < 0.08,
                    status="completed",
                )
            )
        Inspection.objects.bulk_create(rows)
    for start in range(0, PUBLICATIONS, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, PUBLICATIONS)):
            agency = pool[i % len(pool)]
            day = _day(rng)
            late = rng.random() < 0.05
            rows.append(
                Publication(
                    agency=agency,
                    kind="penalty" if i % 3 else "licence",
                    source="manual",
                    number=f"BENCH-P-{i}",
                    title="行政处罚决定书",
                    party_name="黑龙江省测试企业有限公司",
                    party_kind="enterprise",
                    decided_on=day,
                    due_on=day + dt.timedelta(days=9),
                    published_on=day + dt.timedelta(days=12 if late else 3),
                    status="published",
                )
            )
        Publication.objects.bulk_create(rows)


def _inner() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from sanxiang.agencies.models import Role
    from sanxiang.agencies.services import staff_create
    from sanxiang.cases.models import Case, Inspection
    from sanxiang.demo.agencies import load_agencies
    from sanxiang.publicity.models import Publication
    from sanxiang.reports import services
    from sanxiang.testing.otp import mark_verified

    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    started = time.perf_counter()
    agencies = sorted(load_agencies(today=today).values(), key=lambda agency: agency.path)
    province = agencies[0]
    head = staff_create(
        actor=None,
        agency=province,
        username="bench.head",
        full_name="厅负责人",
        roles=[Role.HEAD],
        password="Songhua-River-4791",
    )
    _fill(agencies)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fill_seconds = time.perf_counter() - started

    counted = time.perf_counter()
    for model in (Case, Inspection, Publication):
        model.objects.count()
    count_seconds = time.perf_counter() - counted
    generated = time.perf_counter()
    report = services.report_generate(actor=head, agency=province, year=YEAR, today=today)
    generation_seconds = time.perf_counter() - generated

    web = Client()
    desk = Client()
    desk.force_login(head)
    mark_verified(desk, head)

    def timed(client, path) -> dict:
        return common_timed(page_call(client, path), SAMPLES)

    bare = timed(web, "/healthz")

    base = f"/workbench/reports/{province.pk}/{YEAR}"
    # the page as the first visitor of each cache period sees it: everything counted during the request
    settings.DASHBOARD_CACHE_SECONDS = 0
    uncached = against(common_timed(page_call(desk, f"/workbench/reports/dashboard/?year={YEAR}"), 5), bare)
    settings.DASHBOARD_CACHE_SECONDS = 900
    return {
        "fill_seconds": round(fill_seconds, 1),
        "generation": {
            "seconds": round(generation_seconds, 2),
            "baseline_count_seconds": round(count_seconds, 2),
            "times_baseline": round(generation_seconds / count_seconds, 1),
            "penalties_counted": report.figures["penalty.decided"],
            "inspections_counted": report.figures["inspection.onsite"],
        },
        "baseline": {"healthz_http": bare},
        "drill_penalties": against(timed(desk, f"{base}/penalty.decided/"), bare),
        "drill_inspections": against(timed(desk, f"{base}/inspection.onsite/"), bare),
        "dashboard": against(timed(desk, f"/workbench/reports/dashboard/?year={YEAR}"), bare),
        "dashboard_uncached": uncached,
    }


if __name__ == "__main__":
    print(json.dumps(_inner(), ensure_ascii=False))
