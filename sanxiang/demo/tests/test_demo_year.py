from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Case, Challenge, Inspection
from sanxiang.demo.year import SEED, load_year
from sanxiang.inspections.plan_models import Plan
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.verification import verify_log
from sanxiang.licensing.models import Application
from sanxiang.publicity.models import Publication
from sanxiang.publicity.selectors import compliance


def _fingerprint() -> dict:
    """What the generated year holds, by city: counts and the first records, in a form two runs can compare."""
    cities = ("230300", "231000")
    cases = Case.objects.filter(agency__code__in=cities, kind="penalty").order_by("discovered_on", "id")
    return {
        "cases": {code: cases.filter(agency__code=code).count() for code in cities},
        "first": list(cases.values_list("agency__code", "title", "party__name", "party__uscc", "stage")[:6]),
        "fines": sorted(str(fine) for fine in cases.exclude(decided_fine=None).values_list("decided_fine", flat=True)),
        "applications": sorted(
            Application.objects.filter(agency__code__in=cities).values_list("applicant_name", "status")
        ),
        "challenges": Challenge.objects.filter(case__agency__code__in=cities).count(),
        "plans": Plan.objects.filter(agency__code__in=cities).count(),
    }


def test_the_generated_year_is_the_same_for_the_same_seed_and_its_ledger_verifies(db):
    call_command("demo", year_scale="none", stdout=StringIO())
    today = timezone.localdate()
    with transaction.atomic():
        first = load_year(today=today, scale="small", seed=SEED)
        generated = _fingerprint()
        transaction.set_rollback(True)
    second = load_year(today=today, scale="small", seed=SEED)
    assert first == second and _fingerprint() == generated
    # every city of the scale has its cases, applications and its plan, inspected through the year
    assert set(second) == {"230300", "231000"}
    assert all(n >= 1 for n in generated["cases"].values()) and generated["plans"] == 2
    assert Inspection.objects.filter(agency__code__in=("230300", "231000")).exists()
    year = Case.objects.filter(agency__code__in=("230300", "231000"), kind="penalty")
    assert year.filter(decided_on__isnull=False).exists()
    assert {d.year for d in year.values_list("discovered_on", flat=True)} == {today.year}
    # the decisions open their publications and the clerks publish them
    assert Publication.objects.filter(agency__code__in=("230300", "231000"), status="published").exists()
    # so the portal's statistics of the year have something to show for them
    rows = compliance(Agency.objects.filter(code__in=("230300", "231000")), today=today, year=today.year)
    assert all(row["due"] >= 1 and row["on_time"] >= 1 for row in rows)
    # generated once, like the rest of the demo
    assert load_year(today=today, scale="small") == {}
    report = verify_log(verifier=ledger_signer().verifier, origin=settings.LEDGER_ORIGIN)
    assert report.ok, report.problems[:3]
