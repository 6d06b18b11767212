"""A publication from the decision to its end: due dates, two-person redaction, correction, withdrawal, expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.cases import services as cases
from sanxiang.ledger.models import Entry
from sanxiang.publicity import selectors, services
from sanxiang.publicity.models import CreditClass, Publication
from sanxiang.testing.cases import DECIDED, at, make_party, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.publicity import decided, publish, published


def test_a_penalty_decision_opens_its_publication_due_in_seven_working_days(world):
    publication = decided(world)
    assert publication.status == Publication.Status.DRAFT and publication.kind == "penalty"
    assert publication.decided_on == DECIDED and publication.due_on == dt.date(2026, 10, 21)
    assert publication.credit_class == CreditClass.GENERAL
    assert publication.summary["罚款金额（万元）"] == "15.000000"
    assert publication.summary["行政处罚决定书文号"] == publication.number.strip()
    first = publication.versions.get()
    assert "行政处罚决定书" in first.original and first.published_at is None
    assert Entry.objects.filter(action="publication.open", subject_id=str(publication.pk), public=False).exists()


def test_a_decision_on_the_eve_of_national_day_is_due_after_the_holiday(world):
    case = walk(world, open_case(world), "notified")
    with at(dt.date(2026, 9, 29)):
        case = cases.case_record_waiver(actor=world.people.officer, case=case, waived_on=dt.date(2026, 9, 29))
        case = cases.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("150000"),
            confiscation=None,
            note="放弃陈述申辩",
        )
    with at(dt.date(2026, 9, 30)):
        cases.case_decide(actor=world.people.head, case=case, outcome="penalty")
    # 8, 9, 10 (a worked Saturday), 12, 13, 14, 15 October
    assert Publication.objects.get(case=case).due_on == dt.date(2026, 10, 15)


def test_a_coercive_measure_is_due_in_twenty_working_days(world):
    from sanxiang.testing.measures import record, seizure

    case = walk(world, open_case(world), "filed")
    with at(dt.date(2026, 9, 8)):
        record(world, case)
        seizure(world, case)
    publication = Publication.objects.get(case__origin=case, kind="coercive")
    assert publication.due_on == dt.date(2026, 10, 12)  # 16 working days in September, then 8, 9, 10 and 12 October
    assert publication.credit_class == ""


def test_publishing_needs_masks_prepared_by_one_person_and_confirmed_by_another(world):
    publication = decided(world)
    with at(DECIDED):
        refused(
            "redaction_unconfirmed",
            lambda: services.publication_publish(actor=world.people.clerk, publication=publication),
        )
        refused("not_prepared", lambda: services.publication_confirm(actor=world.people.head, publication=publication))
        services.publication_redact(actor=world.people.clerk, publication=publication, masks=[])
        refused("same_person", lambda: services.publication_confirm(actor=world.people.clerk, publication=publication))
        services.publication_confirm(actor=world.people.head, publication=publication)
        services.publication_redact(
            actor=world.people.clerk, publication=publication, masks=[{"start": 0, "end": 2, "kind": "manual"}]
        )
        # changing the masks after confirmation takes the confirmation away
        refused(
            "redaction_unconfirmed",
            lambda: services.publication_publish(actor=world.people.clerk, publication=publication),
        )
        with pytest.raises(PermissionDenied):
            services.publication_redact(actor=world.people.officer, publication=publication, masks=[])
    assert publication.versions.get().published_at is None


def test_a_published_version_is_a_public_ledger_entry_carrying_the_hash_of_its_text(world):
    publication = published(world)
    version = publication.versions.get()
    entry = Entry.objects.get(index=version.ledger_index)
    assert entry.public and entry.action == "publication.publish"
    assert version.public_sha256 in bytes(entry.body).decode()
    assert publication.status == Publication.Status.PUBLISHED and publication.published_on == DECIDED
    assert publication.display_until == dt.date(2027, 10, 12)  # 一般: at most one year from the decision
    assert [row.pk for row in selectors.public_search(text="化工")] == [publication.pk]


def test_a_correction_is_a_new_version_with_a_public_reason_and_the_old_one_stays_in_the_history(world):
    publication = published(world)
    with at(DECIDED + dt.timedelta(days=2)):
        refused(
            "invalid_transition",
            lambda: services.publication_withhold(actor=world.people.clerk, publication=publication, reason="x"),
        )
        with pytest.raises(Exception, match="更正理由"):
            services.publication_correct(actor=world.people.clerk, publication=publication, original="更正", reason=" ")
        first = publication.versions.get()
        services.publication_correct(
            actor=world.people.clerk,
            publication=publication,
            original=first.original.replace("超标", "超过排放标准"),
            reason="规范违法事实表述",
        )
        publish(world, publication)
    versions = selectors.public_versions(publication)
    assert [(version.number, version.reason) for version in versions] == [(1, ""), (2, "规范违法事实表述")]
    assert "超过排放标准" in versions[1].public_text


def test_a_withdrawal_needs_a_reason_is_due_in_three_working_days_and_leaves_a_public_stub(world):
    publication = published(world)
    with at(dt.date(2026, 12, 3)):
        refused(
            "invalid_transition",
            lambda: services.publication_withhold(actor=world.people.clerk, publication=publication, reason="秘密"),
        )
        with pytest.raises(Exception, match="撤回原因"):
            services.publication_withdraw(
                actor=world.people.clerk, publication=publication, reason="", changed_on=dt.date(2026, 12, 1)
            )
        services.publication_withdraw(
            actor=world.people.clerk,
            publication=publication,
            reason="行政复议机关决定撤销原处罚决定",
            changed_on=dt.date(2026, 12, 1),
        )
    publication.refresh_from_db()
    assert publication.status == Publication.Status.WITHDRAWN and publication.withdraw_due_on == dt.date(2026, 12, 4)
    assert selectors.public_get(publication.pk) == publication
    assert selectors.public_search(text="化工") == []
    assert Entry.objects.get(action="publication.withdraw", subject_id=str(publication.pk)).public


def test_a_record_past_its_display_period_leaves_the_portal(world):
    publication = published(world)
    with at(dt.date(2027, 10, 12)):
        assert services.publications_expire(today=dt.date(2027, 10, 12)) == 0
    with at(dt.date(2027, 10, 13)):
        assert services.publications_expire(today=dt.date(2027, 10, 13)) == 1
    publication.refresh_from_db()
    assert publication.status == Publication.Status.EXPIRED and publication.end_reason == "公示期满"
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.public_get(publication.pk)


def test_credit_repair_ends_publication_early_only_after_the_minimum_period(world):
    publication = published(world)
    with at(dt.date(2026, 12, 1)):
        error = refused(
            "too_early",
            lambda: services.publication_end(actor=world.people.head, publication=publication, reason="信用修复"),
        )
        assert "2027-01-12" in error.messages[0]
    with at(dt.date(2027, 1, 12)):
        services.publication_end(actor=world.people.head, publication=publication, reason="经信用修复，停止公示")
    publication.refresh_from_db()
    assert publication.status == Publication.Status.EXPIRED


def test_a_minors_case_is_withheld_from_the_internet_at_once(world):
    minor = make_party(
        world.harbin, kind="natural_person", uscc="", name="赵小明", legal_representative="", is_minor=True
    )
    case = walk(world, open_case(world, party=minor), "decided", kinds=("warning",), fine=None)
    publication = Publication.objects.get(case=case)
    assert publication.status == Publication.Status.WITHHELD and "未成年人" in publication.withheld_reason
    assert publication.credit_class == CreditClass.MINOR


def test_the_desk_lists_overdue_records_first_and_compliance_counts_them(world):
    late = decided(world)
    on_time = published(world)
    with at(dt.date(2026, 10, 23)):
        rows = selectors.desk(world.people.clerk, today=dt.date(2026, 10, 23))
        rates = selectors.compliance(
            type(world.harbin).objects.filter(pk=world.harbin.pk), today=dt.date(2026, 10, 23), year=2026
        )
    assert rows[0].publication == late and rows[0].overdue and rows[0].workdays == 9
    assert next(row for row in rows if row.publication == on_time).workdays == 0
    assert rates[0]["due"] == 2 and rates[0]["on_time"] == 1 and rates[0]["missing"] == 1 and rates[0]["rate"] == 0.5
