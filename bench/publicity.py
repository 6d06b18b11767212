"""Publicity at scale: 1,000,000 published decisions of the 13 city bureaus, 2019–2026, on SQLite and PostgreSQL.

Measures the portal search (/decisions/?q=…, through Django's full stack in process, a mix of queries: p50 / p95 /
max per kind, target p95 < 100 ms overall on each database), the decision page and the portal home (under wrk
against the bare /healthz view in the same run, target ratio ≥ 0.5 for both, issue 19) and the full
双公示 CSV export by `sanxiang publicity export` (time, size and the export process's peak memory, at a tenth of the
records and at all of them: the exporter streams, so the two peaks should be about the same).

The records are bulk-inserted (benchmark data, not the demo story) with one published version each, and indexed
through the service's own publication_entry; the reads go through the same views, selectors and command users hit.
A decision's page is rendered and kept when its publication commits (portal.pages); bulk-inserted records have no
page yet, so the pages of KEPT_PAGES decisions drawn at random from all of them are rendered the same way first
(the time per page is reported), and wrk asks for those at random: 10^6 rows in the tables, 5,000 pages asked.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import publicity_data
from bench.common import installation, postgres_database, quantiles, server, timings, write_result, wrk
from bench.publicity_data import DECISIONS

FIRST_STAGE = DECISIONS // 10  # the export is measured here as well, to show its memory does not grow with rows
SAMPLES = 20  # requests per query, after one that warms the caches
KEPT_PAGES = int(os.environ.get("BENCH_KEPT_PAGES", 5_000))
TARGETS = {"search_p95_ms": 100, "decision_page_ratio": 0.5, "home_page_ratio": 0.5, "export_memory_ratio": 1.2}


def run() -> dict:
    result = {"decisions": DECISIONS, "sqlite": _measure({})}
    with postgres_database("sanxiang_bench_publicity") as url:
        result["postgresql"] = _measure({"SANXIANG_DATABASE_URL": url}) if url else None
    measured = [result[name] for name in ("sqlite", "postgresql") if result[name]]
    result["targets"] = TARGETS
    result["passed"] = {
        "search": all(figures["search_ms"]["overall"]["p95"] < TARGETS["search_p95_ms"] for figures in measured),
        "decision_page": all(
            figures["decision_page"]["ratio"] >= TARGETS["decision_page_ratio"] for figures in measured
        ),
        "home_page": all(figures["decision_page"]["home_ratio"] >= TARGETS["home_page_ratio"] for figures in measured),
        "export_memory": all(
            figures["export"]["memory_ratio"] <= TARGETS["export_memory_ratio"] for figures in measured
        ),
    }
    write_result("publicity", result)
    return result


def _measure(extra: dict) -> dict:
    with installation(demo=False, **extra) as env:
        work = Path(env["SANXIANG_DATA_DIR"])
        fill = _inner(env, "fill", 0, FIRST_STAGE)["seconds"]
        small = _export(env, work / "small.csv")
        fill += _inner(env, "fill", FIRST_STAGE, DECISIONS)["seconds"]
        search = _inner(env, "search")
        first, last = search.pop("ids")
        kept = _inner(env, "keep", first, last)
        with server(env, workers=1) as base:
            page = _decision_page(base, work / "random.lua", kept.pop("ids"))
        page["kept"] = kept
        full = _export(env, work / "full.csv")
    return {
        "fill_seconds": round(fill, 1),
        "search_ms": search,
        "decision_page": page,
        "export": {
            "first_stage": small,
            "all": full,
            "memory_ratio": round(full["peak_rss_mb"] / small["peak_rss_mb"], 3),
        },
    }


def _inner(env: dict, *args) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.publicity", *map(str, args)], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.splitlines()[-1])


def _decision_page(base: str, script: Path, ids: list[int], seconds: int = 10) -> dict:
    """A decision drawn at random from the kept ones for each request (not one URL whose rows stay cached), and
    the portal home, against the bare /healthz view in the same run."""
    script.write_text(
        "ids = {" + ",".join(map(str, ids)) + "}\nmath.randomseed(7)\nrequest = function()\n"
        '  return wrk.format("GET", "/decisions/" .. ids[math.random(#ids)] .. "/")\nend\n'
    )
    wrk(f"{base}/healthz", seconds=2)  # warm-up
    wrk(base, seconds=2, script=script)
    wrk(f"{base}/", seconds=2)
    bare = wrk(f"{base}/healthz", seconds=seconds)
    page = wrk(base, seconds=seconds, script=script)
    home = wrk(f"{base}/", seconds=seconds)
    return {
        "bare_view": bare,
        "decision_page": page,
        "ratio": round(page["requests_per_second"] / bare["requests_per_second"], 3),
        "home_page": home,
        "home_ratio": round(home["requests_per_second"] / bare["requests_per_second"], 3),
    }


def _export(env: dict, path: Path) -> dict:
    """The command as an operator runs it; its own peak memory comes from wait4, not from this process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sanxiang",
            "publicity",
            "export",
            "--kind",
            "penalty",
            "--format",
            "csv",
            "--output",
            str(path),
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait for it again
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"export failed with {process.returncode}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = sum(1 for _row in csv.reader(handle)) - 1
    size = path.stat().st_size
    path.unlink()
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "megabytes": round(size / 1024**2, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


# ---- inside the installation's own Python process ----


QUERIES = {
    "two characters": [{"q": "化工"}, {"q": "超标"}, {"q": "扬尘"}],
    "one character": [{"q": "煤"}],
    "long phrase": [{"q": "超标排放大气污染物"}],
    "company name": [{"q": "宏达热电"}, {"party": "哈尔滨宏达热电有限公司"}],
    "document number": [{"q": "{number}"}, {"q": "哈环罚〔2023〕"}],
    "filters only": [
        {"agency": "230100", "year": "2024"},
        {"kind": "correction"},
        {"agency": "232700", "year": "2019", "kind": "penalty"},
    ],
    "filters and text": [
        {"q": "超标", "agency": "230600", "year": "2022"},
        {"q": "危险废物", "year": "2020"},
        {"q": "环境", "year": "2019"},
    ],
    "almost everything": [{"q": "环境"}, {}],
    "nothing": [{"q": "核电站"}, {"q": "化工", "kind": "licence"}],
    "deep page": [{"q": "超标", "before": "{middle}"}, {"before": "{middle}"}],
}


def _search() -> dict:
    from django.conf import settings
    from django.db.models import Max, Min
    from django.test import Client

    from sanxiang.publicity.models import Publication

    settings.ALLOWED_HOSTS = ["*"]
    first, last = Publication.objects.aggregate(first=Min("pk"), last=Max("pk")).values()
    known = {"number": Publication.objects.get(pk=(first + last) // 3).number, "middle": (first + last) // 2}
    client = Client()

    def page(params: dict):
        def call():
            response = client.get("/decisions/", {key: value.format(**known) for key, value in params.items()})
            assert response.status_code == 200, response.status_code

        return call

    figures, everything = {}, []
    for kind, queries in QUERIES.items():
        samples = [sample for params in queries for sample in timings(page(params), SAMPLES)]
        everything += samples
        figures[kind] = quantiles(samples)
    return {**figures, "overall": quantiles(everything), "ids": [first, last]}


def _main(argv: list[str]) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    if argv[0] == "fill":
        started = time.perf_counter()
        publicity_data.fill(int(argv[1]), int(argv[2]))
        return {"seconds": time.perf_counter() - started}
    if argv[0] == "keep":
        return _keep(int(argv[1]), int(argv[2]))
    return _search()


def _keep(first: int, last: int) -> dict:
    """Render and keep the pages of KEPT_PAGES decisions drawn at random, as their publication would have."""
    import random

    from sanxiang.portal.pages import decision_keep

    ids = sorted(random.Random(7).sample(range(first, last + 1), min(KEPT_PAGES, last - first + 1)))
    started = time.perf_counter()
    for publication_id in ids:
        decision_keep(publication_id)
    seconds = time.perf_counter() - started
    return {
        "ids": ids,
        "pages": len(ids),
        "seconds": round(seconds, 1),
        "ms_per_page": round(1000 * seconds / len(ids), 2),
    }


if __name__ == "__main__":
    print(json.dumps(_main(sys.argv[1:]), ensure_ascii=False))
