"""The demo's training records: recorded through the services (the ledger verifies), most officers meet the yearly
requirement, two are short this year, one of them last year too, so her renewal is refused."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency, Certificate, TrainingRecord
from sanxiang.agencies.training_selectors import officers_below_requirement, training_summary
from sanxiang.demo.agencies import load_agencies, load_staff
from sanxiang.demo.training import load_training
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_create, ledger_signer
from sanxiang.ledger.verification import verify_log


def test_the_demo_records_a_believable_year_of_training_through_the_services(db):
    today = dt.date(2026, 12, 6)
    with transaction.atomic():
        agencies = load_agencies(today=today)
        load_staff(agencies=agencies, today=today)
    recorded = load_training(today=today)
    assert recorded > 100 and load_training(today=today) == 0
    assert Entry.objects.filter(action="training.create").count() == recorded - 1
    assert Entry.objects.filter(action="training.correct").count() == 1
    below = officers_below_requirement(agencies=Agency.objects.all(), year=2026)
    assert sorted(row.officer.username for row in below) == ["hrb.officer4", "hrbdl.officer2"]
    summary = training_summary(agencies=list(Agency.objects.filter(path__startswith="/230000/230100/")), year=2026)
    assert summary["below_requirement"] == 2 and summary["exams_passed"] > 0
    assert TrainingRecord.objects.filter(exam_result="failed").exists()
    checkpoint_create()  # as the demo command does
    report = verify_log(verifier=ledger_signer().verifier, origin=settings.LEDGER_ORIGIN)
    assert report.ok, report.problems[:3]


def test_a_lapsed_certificate_of_an_officer_short_last_year_cannot_be_renewed(db):
    today = timezone.localdate()
    with transaction.atomic():
        agencies = load_agencies(today=today)
        load_staff(agencies=agencies, today=today)
    load_training(today=today)
    certificate = Certificate.objects.get(holder__username="hrbdl.officer2")
    with pytest.raises(ValidationError) as error:
        services.certificate_renew(actor=None, certificate=certificate, expires_on=today + dt.timedelta(days=1800))
    assert error.value.code == "training_short"
    checkpoint_create()
    assert verify_log(verifier=ledger_signer().verifier, origin=settings.LEDGER_ORIGIN).ok
