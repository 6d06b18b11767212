"""What is masked reaches every public form of a record — the full text, the 双公示 items, the exports, the search
index — and the services refuse to publish personal data or to end what only credit repair may end."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sanxiang.publicity import layouts, opendata, selectors, services
from sanxiang.publicity.models import Publication
from sanxiang.publicity.redaction import occurrences
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.opendata import csv_file, penalty_row
from sanxiang.testing.publicity import decided, publish, published

WITNESS_ID = "230102198001011236"
PHONE = "13904511234"


def test_an_imported_records_prose_items_are_masked_everywhere_the_public_looks(world):
    facts = f"经查，当事人雇员李四（身份证号{WITNESS_ID}，电话{PHONE}）擅自关闭除尘设施。"
    source = csv_file(layouts.PENALTY.fields, [penalty_row(world, 违法事实=facts, 备注=f"联系电话{PHONE}")])
    with at(DECIDED):
        services.publications_import(actor=world.people.clerk, kind="penalty", source=source, file_format="csv")
        publication = publish(world, Publication.objects.get())
    summary = dict(selectors.public_summary(publication.versions.get().summary))
    assert WITNESS_ID not in summary["违法事实"] and PHONE not in summary["违法事实"] and PHONE not in summary["备注"]
    exported = "".join(opendata.csv_chunks(opendata.Filters(kind="penalty")))
    assert WITNESS_ID not in exported and PHONE not in exported
    assert selectors.public_search(text=WITNESS_ID) == [] and selectors.public_search(text=PHONE) == []
    assert selectors.public_search(text="除尘设施") == [publication]


def test_a_passage_masked_by_hand_is_masked_in_the_summary_and_the_index_too(world):
    publication = decided(world)
    draft = publication.versions.get()
    secret = "二氧化硫排放浓度超标1.5倍"
    assert secret in draft.original and secret in publication.summary["违法事实"]
    masks = draft.masks + [span.as_dict() for span in occurrences(draft.original, secret, "secret")]
    with at(DECIDED):
        publish(world, publication, masks=masks)
    version = publication.versions.get()
    assert secret not in version.public_text and secret not in version.summary["违法事实"]
    assert "［已依法隐去］" in version.summary["违法事实"]
    assert selectors.public_search(text="二氧化硫") == []


def test_publishing_a_text_that_still_holds_a_valid_id_number_is_refused_whatever_the_masks(world):
    publication = published(world)
    first = publication.versions.get()
    with at(DECIDED + dt.timedelta(days=1)):
        services.publication_correct(
            actor=world.people.clerk,
            publication=publication,
            reason="补充证人信息",
            original=first.original + f"\n证人身份证号码：{WITNESS_ID}。",
        )
        services.publication_redact(actor=world.people.clerk, publication=publication, masks=[])  # every mask dropped
        services.publication_confirm(actor=world.people.head, publication=publication)
        refused(
            "personal_data_left",
            lambda: services.publication_publish(actor=world.people.clerk, publication=publication),
        )
    assert selectors.public_versions(publication) == [first]


def test_a_correction_changes_the_items_only_when_it_is_published(world):
    publication = published(world)
    old = publication.summary["处罚依据"]
    with at(DECIDED + dt.timedelta(days=1)):
        services.publication_correct(
            actor=world.people.clerk,
            publication=publication,
            reason=f"更正处罚依据（联系{PHONE}）",
            original=publication.versions.get().original,
            summary={"处罚依据": "《中华人民共和国大气污染防治法》第九十九条第二项"},
        )
        publication.refresh_from_db()
        assert publication.summary["处罚依据"] == old  # not before it is confirmed and published
        publish(world, publication)
    publication.refresh_from_db()
    latest = selectors.public_versions(publication)[-1]
    assert publication.summary["处罚依据"].endswith("第二项") and latest.summary["处罚依据"].endswith("第二项")
    assert PHONE not in latest.reason and "更正处罚依据" in latest.reason


def test_only_a_penalty_ends_early_after_credit_repair(world):
    from sanxiang.testing.measures import record, seizure

    case = walk(world, open_case(world), "filed")
    with at(dt.date(2026, 9, 8)):
        record(world, case)
        seizure(world, case)
    publication = Publication.objects.get(case__origin=case, kind="coercive")
    with at(dt.date(2026, 9, 9)):
        publish(world, publication)
        with pytest.raises(ValidationError, match="只有行政处罚信息"):
            services.publication_end(actor=world.people.clerk, publication=publication, reason="信用修复")
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.PUBLISHED
