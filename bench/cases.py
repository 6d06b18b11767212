"""Cases at scale: 100,000 cases in one agency, on SQLite and on PostgreSQL.

Measures (p50/p95 over repeated requests through Django's full stack, in process): the workbench case list, the
API case list, the head's deadline dashboard (home page), and the generation of a 行政处罚决定书 as DOCX (target
< 200 ms) and PDF. The cases are bulk-inserted (benchmark data, not the demo story); the requests go through the
same views and selectors users hit.
"""

from __future__ import annotations

import json
import os
import shutil
import time

from bench.common import measured_inside, on_both_engines, timed, write_result

CASES = int(os.environ.get("BENCH_CASES", 100_000))
SAMPLES = 60


def run() -> dict:
    result = {"cases": CASES} | on_both_engines("sanxiang_bench_cases", _measure)
    result["targets"] = {"docx_p95_ms": 200}
    result["passed"] = {"docx": result["sqlite"]["docx_ms"]["p95"] < 200}
    write_result("cases", result)
    return result


def _measure(extra: dict) -> dict:
    return measured_inside("bench.cases", extra)


def _fill(agency, party_count: int = 1000) -> None:
    import datetime as dt
    import random

    from django.db import connection

    from sanxiang.cases.models import Case, Party, Stage
    from sanxiang.demo.codes import demo_uscc

    parties = Party.objects.bulk_create(
        Party(
            agency=agency,
            kind="legal_person",
            name=f"基准测试企业{number:05d}有限公司",
            uscc=demo_uscc("91", agency.code, 10_000 + number),
            address="哈尔滨市",
            industry="制造业",
        )
        for number in range(party_count)
    )
    stages = [
        Stage.CLUE,
        Stage.INVESTIGATING,
        Stage.REVIEWING,
        Stage.NOTIFIED,
        Stage.DECIDING,
        Stage.DECIDED,
        Stage.SERVED,
        Stage.CLOSED,
        Stage.ARCHIVED,
    ]
    rng, today = random.Random(7), dt.date.today()
    batch = []
    for number in range(CASES):
        stage = rng.choice(stages)
        due = today + dt.timedelta(days=rng.randint(-30, 120)) if stage not in (Stage.CLOSED, Stage.ARCHIVED) else None
        batch.append(
            Case(
                agency=agency,
                number=f"哈环立〔2025〕{number + 1}号",
                title=f"基准案件{number}",
                party=rng.choice(parties),
                source="inspection",
                act_date=today - dt.timedelta(days=200),
                discovered_on=today - dt.timedelta(days=190),
                stage=stage,
                next_due_on=due,
                next_due_kind="decision" if due else "",
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)

    with connection.cursor() as cursor:  # as the database's own maintenance would have done
        cursor.execute("ANALYZE")


def _inner() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from rest_framework.test import APIClient

    from sanxiang.agencies.models import Agency, User
    from sanxiang.cases.models import Case
    from sanxiang.core.blobs import blob_read
    from sanxiang.documents.rendering import docx_to_pdf
    from sanxiang.documents.services import document_issue
    from sanxiang.testing.documents import filled
    from sanxiang.testing.otp import mark_verified

    settings.ALLOWED_HOSTS = ["*"]
    harbin = Agency.objects.get(code="230100")
    started = time.perf_counter()
    _fill(harbin)
    fill_seconds = time.perf_counter() - started
    head = User.objects.get(username="hrb.head")
    web = Client()
    web.force_login(head)
    mark_verified(web, head)  # past the second factor (the login itself is bench/login.py's)
    api = APIClient()
    api.force_authenticate(head)

    deep = Case.objects.order_by("id").values_list("id", flat=True)[CASES // 2]

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    # every field the decision's format requires (document_issue refuses a document with one empty)
    context = filled(
        "penalty_decision",
        party_name="哈尔滨北方精细化工有限公司",
        facts="经查……\n" * 20,
        basis="《大气污染防治法》第九十九条",
        decision_text="罚款人民币壹拾伍万元整",
        payment_text="十五日内缴纳",
        rights_text="六十日内申请行政复议",
    )

    def docx():
        with transaction.atomic():
            return document_issue(
                actor=head,
                agency=harbin,
                doc_type_code="penalty_decision",
                subject=harbin,
                issued_on=dt.date.today(),
                context=context,
            )

    document = docx()
    pdf = [timed(lambda: docx_to_pdf(blob_read(document.docx_sha256)), 3)] if shutil.which("soffice") else []
    return {
        "fill_seconds": round(fill_seconds, 1),
        "case_list_ms": timed(lambda: ok(web.get("/workbench/cases/")), SAMPLES),
        "case_list_deep_page_ms": timed(lambda: ok(web.get(f"/workbench/cases/?before={deep}")), SAMPLES),
        "case_search_ms": timed(lambda: ok(web.get("/workbench/cases/?q=基准案件4242")), SAMPLES),
        "api_list_ms": timed(lambda: ok(api.get("/api/v1/cases/")), SAMPLES),
        "dashboard_ms": timed(lambda: ok(web.get("/workbench/")), SAMPLES),
        "docx_ms": timed(docx, 30),
        "pdf_ms": pdf[0] if pdf else None,
    }


if __name__ == "__main__":
    print(json.dumps(_inner()))
