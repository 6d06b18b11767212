"""双随机 draws at scale, on SQLite and PostgreSQL.

Measures a draw over 100,000 enterprises (10 % key, 70 % general, 20 % positive list; 25 / 5 / 2 % drawn: 6,400
targets) and 1,000 officers with valid certificates: the service's `draw_perform` (the checks of the commitment
against the ledger, the algorithm, the rows and the ledger entry, in one transaction; target < 1 s) and the
outsider's re-computation, `python3 tools/verify_draw.py` in its own process on the downloaded plan JSON (target
< 1 s), whose output must equal the published draw — three plans in a row, the median reported with each figure. Then the portal's results pages with 1,000,000 inspection
results published (ten plans of 100,000 targets each in the same agency, each with its completed inspection): the agency's results page and a plan's
page, first and deep (keyset), p50 / p95 through Django's full stack in process (target p95 < 100 ms). Last, the
supervision view of caps (`/api/v1/inspections/supervision/caps`, a provincial supervisor) over the yearly tallies of the
100,000 enterprises inspected by ten agencies, all and over-cap only (target p95 < 200 ms).

The enterprises, officers and results are bulk-inserted (benchmark data, not the demo story); the plan is drafted,
approved and drawn through the services, and the pages read through the same views and selectors users hit.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import measured_inside, on_both_engines, timed, write_result

ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", 100_000))
OFFICERS = int(os.environ.get("BENCH_OFFICERS", 1_000))
RESULTS = int(os.environ.get("BENCH_RESULTS", 1_000_000))
RESULT_PLANS = 10
DRAWS = 3  # plans drawn one after another (each honouring the pairs of the one before); the median is reported
BATCH = 10_000
SAMPLES = 40
VERIFIER = Path(__file__).resolve().parent.parent / "tools" / "verify_draw.py"
AGENCIES = [
    {
        "code": "230000",
        "name": "黑龙江省生态环境厅",
        "abbreviation": "黑环",
        "level": "province",
        "address": "哈尔滨市",
    },
    {"code": "230100", "name": "哈尔滨市生态环境局", "abbreviation": "哈环", "level": "city", "address": "哈尔滨市"},
]
TARGETS = {"draw_seconds": 1.0, "verify_seconds": 1.0, "results_page_p95_ms": 100, "supervision_p95_ms": 200}
TALLY_AGENCIES = ["230100", "230102", "230103", "230104", "230108", "230109", "230110", "230111", "230112", "230113"]


def run() -> dict:
    result = {"enterprises": ENTERPRISES, "officers": OFFICERS, "results": RESULTS}
    result |= on_both_engines("sanxiang_bench_inspections", _measure)
    measured = [result[name] for name in ("sqlite", "postgresql") if result[name]]
    result["targets"] = TARGETS
    result["passed"] = {
        "draw": all(figures["draw_seconds"] < TARGETS["draw_seconds"] for figures in measured),
        "verify": all(
            figures["verify_seconds"] < TARGETS["verify_seconds"] and figures["verified"] for figures in measured
        ),
        "results_page": all(
            page["p95"] < TARGETS["results_page_p95_ms"]
            for figures in measured
            for page in figures["pages_ms"].values()
        ),
        "supervision": all(
            page["p95"] < TARGETS["supervision_p95_ms"]
            for figures in measured
            for page in figures["supervision_ms"].values()
        ),
    }
    write_result("inspections", result)
    return result


def _measure(extra: dict) -> dict:
    return measured_inside("bench.inspections", extra, demo=False)


def _people(agency):
    """The head (through the service) and OFFICERS officers with valid certificates (rows)."""
    import datetime as dt

    from sanxiang.agencies.models import Certificate, EnforcementDomain, Role, RoleAssignment, User
    from sanxiang.agencies.services import staff_create

    head = staff_create(
        actor=None, agency=agency, username="bench.head", full_name="王建国", roles=[Role.HEAD], password="x" * 16
    )
    officers = User.objects.bulk_create(
        User(username=f"bench.officer{n}", full_name=f"执法人员{n:04d}", agency=agency, password="!")
        for n in range(OFFICERS)
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=officer, role=Role.OFFICER) for officer in officers)
    today = dt.date.today()
    Certificate.objects.bulk_create(
        Certificate(
            number=f"23010{n:07d}",
            holder=officer,
            agency=agency,
            domain=EnforcementDomain.ECOLOGY,
            issued_on=today - dt.timedelta(days=365),
            expires_on=today + dt.timedelta(days=730),
        )
        for n, officer in enumerate(officers)
    )
    return head


def _enterprises(agency) -> list[int]:
    from sanxiang.cases.models import Party
    from sanxiang.demo.codes import demo_uscc

    districts = ["230102", "230103", "230104", "230108", "230109", "230110", "230111", "230112", "230113"]
    tiers = ["key"] * 10 + ["general"] * 70 + ["positive"] * 20
    rows = (
        Party(
            agency=agency,
            kind="legal_person",
            name=f"基准测试企业{n:06d}有限公司",
            uscc=demo_uscc("91", agency.code, 100_000 + n),
            address="哈尔滨市",
            industry="制造业",
            division=districts[n % len(districts)],
            tier=tiers[n % len(tiers)],
        )
        for n in range(ENTERPRISES)
    )
    Party.objects.bulk_create(rows, batch_size=5000)
    return list(Party.objects.order_by("pk").values_list("pk", flat=True))


def _results(agency, parties: list[int], certificates: list[int]) -> list[int]:
    """RESULT_PLANS closed plans of RESULTS / RESULT_PLANS published results each, as rows."""
    import datetime as dt
    import hashlib

    from django.utils import timezone

    from sanxiang.cases.models import Inspection, Party
    from sanxiang.inspections.plan_models import Draw, DrawTarget, Plan, PlanCommitment

    per_plan, now, plans = RESULTS // RESULT_PLANS, timezone.now(), []
    results = ["no_problem"] * 8 + ["ordered_to_correct"] + ["case_opened"]
    counts = {"targets": per_plan, "inspected": per_plan}
    for result in set(results):
        counts[result] = sum(1 for n in range(per_plan) if results[n % len(results)] == result)
    codes = dict(Party.objects.values_list("pk", "uscc"))
    for year in range(2016, 2016 + RESULT_PLANS):
        plan = Plan.objects.create(
            agency=agency,
            title=f"{year}年度排污单位“双随机”抽查计划",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            status=Plan.Status.CLOSED,
            published_counts=counts,
        )
        body = json.dumps({"plan": plan.pk}).encode()
        PlanCommitment.objects.create(
            plan=plan,
            body=body,
            digest=hashlib.sha256(body).hexdigest(),
            ledger_index=10**9 + year,
            approved_on=dt.date(year, 1, 5),
            population=per_plan,
            officers=len(certificates),
        )
        Draw.objects.create(
            plan=plan,
            checkpoint_size=10**9 + year + 1,
            seed="00" * 32,
            algorithm="sanxiang-draw/1",
            result_digest="00" * 32,
            performed_at=now,
            ledger_index=10**9 + year + 2,
        )
        day = dt.date(year, 6, 1)
        moment = dt.datetime(year, 6, 1, 10, tzinfo=dt.UTC)
        for start in range(1, per_plan + 1, BATCH):
            ranks = range(start, min(start + BATCH, per_plan + 1))
            party_of = {rank: parties[(rank * 7 + year) % len(parties)] for rank in ranks}
            inspections = Inspection.objects.bulk_create(
                Inspection(
                    agency=agency,
                    party_id=party_of[rank],
                    place="哈尔滨市",
                    started_at=moment,
                    ended_at=moment + dt.timedelta(hours=1),
                    status=Inspection.Status.COMPLETED,
                    violation_found=results[rank % len(results)] != "no_problem",
                )
                for rank in ranks
            )
            DrawTarget.objects.bulk_create(
                DrawTarget(
                    plan=plan,
                    rank=rank,
                    party_id=party_of[rank],
                    uscc=codes[party_of[rank]],
                    tier="general",
                    score=f"{rank:064x}",
                    first_certificate_id=certificates[rank % len(certificates)],
                    second_certificate_id=certificates[(rank + 1) % len(certificates)],
                    status="recorded",
                    inspection=inspection,
                    result=results[rank % len(results)],
                    inspected_on=day,
                    publish_due_on=day,
                    published_at=now,
                )
                for rank, inspection in zip(ranks, inspections)
            )
        plans.append(plan.pk)
    return plans


def _draw_once(head, agency, item, number: int) -> dict:
    """A plan approved and drawn through the services, the draw timed, then recomputed by the outsider's script."""
    import datetime as dt

    from sanxiang.inspections import draws
    from sanxiang.inspections.plan_selectors import draw_export
    from sanxiang.ledger.services import checkpoint_create

    year = dt.date.today().year
    plan = draws.plan_create(
        actor=head,
        agency=agency,
        title=f"{year}年度排污单位“双随机”抽查计划（第{number + 1}批）",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        items=[item],
    )
    started = time.perf_counter()
    commitment = draws.plan_approve(actor=head, plan=plan)
    approve = time.perf_counter() - started
    checkpoint_create()
    started = time.perf_counter()
    draw = draws.draw_perform(actor=head, plan=plan)
    drawn = time.perf_counter() - started
    plan.refresh_from_db()
    published = draw_export(plan)
    with tempfile.TemporaryDirectory() as folder:
        plan_file = Path(folder) / "plan.json"
        plan_file.write_bytes(bytes(commitment.body))
        command = [sys.executable, str(VERIFIER), str(plan_file), "--size", str(draw.checkpoint_size)]
        command += ["--root", draw.seed, "--lapsed", ",".join(draw.lapsed), "--json"]
        started = time.perf_counter()
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        verify = time.perf_counter() - started
    recomputed = json.loads(output)
    return {
        "plan": plan,
        "approve": approve,
        "draw": drawn,
        "verify": verify,
        "targets": len(published["targets"]),
        "verified": recomputed["targets"] == published["targets"]
        and recomputed["plan_digest"] == published["plan_digest"],
    }


def _tallies(parties: list[int]) -> None:
    """Each enterprise's tally of the year as the approvals would have left it: inspected by up to ten agencies,
    about 2 % of them past a cap (rows, like the enterprises)."""
    import datetime as dt

    from sanxiang.inspections.models import PartyTally

    year = dt.date.today().year
    rows = []
    for n, party in enumerate(parties):
        agencies = {code: 1 + (n + i) % 3 for i, code in enumerate(TALLY_AGENCIES[: n % 11])}
        total = sum(agencies.values())
        over = 1 if n % 50 == 7 and total else 0
        rows.append(
            PartyTally(
                party_id=party, year=year, total=total, over_cap=over, agencies=agencies, agency_count=len(agencies)
            )
        )
    PartyTally.objects.bulk_create(rows, batch_size=BATCH)


def _inner() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from sanxiang.agencies.models import Certificate, Role
    from sanxiang.agencies.services import agency_create, staff_create
    from sanxiang.api.services import api_token_create
    from sanxiang.demo.codes import demo_uscc
    from sanxiang.testing.draws import make_item

    settings.ALLOWED_HOSTS = ["*"]
    for agency in AGENCIES:
        agency["uscc"] = demo_uscc("11", agency["code"], 1)
    started = time.perf_counter()
    province = agency_create(actor=None, parent=None, **AGENCIES[0])
    harbin = agency_create(actor=None, parent=province, **AGENCIES[1])
    head = _people(harbin)
    parties = _enterprises(harbin)
    item = make_item(harbin, percents={"key": 25, "general": 5, "positive": 2})
    fill_seconds = time.perf_counter() - started

    draws_measured = [_draw_once(head, harbin, item, n) for n in range(DRAWS)]
    plan = draws_measured[-1]["plan"]

    started = time.perf_counter()
    certificates = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))
    result_plans = _results(harbin, parties, certificates)
    with connection.cursor() as cursor:  # as the database's own maintenance would have done
        cursor.execute("ANALYZE")
    results_fill_seconds = time.perf_counter() - started

    _tallies(parties)
    supervisor = staff_create(
        actor=None,
        agency=province,
        username="bench.supervisor",
        full_name="林静",
        roles=[Role.SUPERVISOR],
        password="x" * 16,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _token, raw = api_token_create(actor=None, user=supervisor, name="bench", scope="read")
    web = Client()

    def supervised(path):
        response = web.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200 and response.json(), (path, response.status_code)

    supervision = {
        "caps_all": "/api/v1/inspections/supervision/caps",
        "caps_over": "/api/v1/inspections/supervision/caps?over_cap=1",
    }

    def ok(path):
        response = web.get(path)
        assert response.status_code == 200, (path, response.status_code)

    deep = RESULTS // RESULT_PLANS - 60
    pages = {
        "agency_results": "/plans/230100/",
        "plan_first_page": f"/plans/230100/{result_plans[0]}/",
        "plan_deep_page": f"/plans/230100/{result_plans[-1]}/?after={deep}",
        "drawn_plan": f"/plans/230100/{plan.pk}/",
    }

    def seconds(key):
        return sorted(round(figures[key], 3) for figures in draws_measured)

    return {
        "fill_seconds": round(fill_seconds, 1),
        "approve_seconds": seconds("approve"),
        "targets_drawn": [figures["targets"] for figures in draws_measured],
        "draw_seconds": statistics.median(seconds("draw")),
        "draw_seconds_each": seconds("draw"),
        "verify_seconds": statistics.median(seconds("verify")),
        "verify_seconds_each": seconds("verify"),
        "verified": all(figures["verified"] for figures in draws_measured),
        "results_fill_seconds": round(results_fill_seconds, 1),
        "pages_ms": {name: timed(lambda path=path: ok(path), SAMPLES) for name, path in pages.items()},
        "supervision_ms": {
            name: timed(lambda path=path: supervised(path), SAMPLES) for name, path in supervision.items()
        },
    }


if __name__ == "__main__":
    print(json.dumps(_inner()))
