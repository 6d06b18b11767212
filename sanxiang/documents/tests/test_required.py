"""Each document type names the fields its national format requires; a document with any of them empty is refused
by name and leaves nothing behind — no document, no 文号 taken, no ledger entry."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document as WordDocument

from sanxiang.agencies.services import agency_set_decision_details, rule_set
from sanxiang.core.errors import RuleViolation
from sanxiang.documents import services
from sanxiang.documents.builder import build_template
from sanxiang.documents.models import Document, NumberSequence
from sanxiang.documents.texts import payment_fields, remedy_fields
from sanxiang.documents.types import LABELS, TYPES
from sanxiang.ledger.models import Entry
from sanxiang.testing.documents import filled

DAY = dt.date(2026, 10, 12)
REQUIRED = [(code, name) for code, kind in TYPES.items() for name in kind.required]
REQUIRED_WITH = [(code, name, other) for code, kind in TYPES.items() for name, other in kind.required_with]


def issue(world, code, context):
    return services.document_issue(
        actor=world.people.head,
        agency=world.harbin,
        doc_type_code=code,
        subject=world.harbin,
        issued_on=DAY,
        context=context,
    )


def refused(world, code, context) -> str:
    entries = Entry.objects.count()
    with pytest.raises(RuleViolation) as error:
        issue(world, code, context)
    assert error.value.code == "document_incomplete"
    assert not Document.objects.exists() and not NumberSequence.objects.filter(last__gt=0).exists()
    assert Entry.objects.count() == entries
    return error.value.messages[0]


@pytest.mark.parametrize(("code", "name"), REQUIRED, ids=[f"{code}-{name}" for code, name in REQUIRED])
def test_a_document_missing_a_required_field_is_refused_naming_it(world, code, name):
    kind = TYPES[code]
    message = refused(world, code, filled(code, **{name: "  "}))
    assert f"{kind.name}缺少必备内容：{kind.label(name)}，不能出具" in message and kind.citation in message


@pytest.mark.parametrize(
    ("code", "name", "other"), REQUIRED_WITH, ids=[f"{code}-{name}-with-{other}" for code, name, other in REQUIRED_WITH]
)
def test_a_field_required_with_another_is_refused_only_once_the_other_is_filled(world, code, name, other):
    message = refused(world, code, filled(code, **{name: ""}))
    assert TYPES[code].label(name) in message and "在机关页面登记" in message
    if other not in TYPES[code].required:  # a warning alone orders no payment
        assert issue(world, code, filled(code, **{name: "", other: ""})).doc_type == code


def test_every_missing_field_is_named_at_once_in_the_order_of_the_format(world):
    message = refused(world, "penalty_decision", filled("penalty_decision", evidence_list="", court="", facts=""))
    assert "违法事实、证据目录（案卷中的证据编号）、行政诉讼管辖法院" in message


def test_every_required_field_belongs_to_its_type_and_has_a_chinese_label():
    for code, kind in TYPES.items():
        named = [*kind.required, *(name for pair in kind.required_with for name in pair)]
        assert set(named) <= kind.fields, code
        assert all(re.search(r"[\u4e00-\u9fff]", kind.label(name)) for name in named), code
    assert set(LABELS) >= {"rights_text", "payment_text", "reconsideration_body", "court", "payment_channel"}


def test_every_decision_names_the_routes_of_its_remedies_and_every_fine_its_payment_channel():
    routes = {
        code for code, kind in TYPES.items() if {"reconsideration_body", "court", "rights_text"} <= set(kind.required)
    }
    assert routes == {
        "penalty_decision",
        "no_penalty_decision",
        "onsite_decision",
        "correction_order",
        "daily_penalty_decision",
        "seizure_decision",
        "seizure_extension",
        "production_limit_decision",
        "production_stop_decision",
        "closure_decision",
    }
    fines = {code for code, kind in TYPES.items() if ("payment_channel", "payment_text") in kind.required_with}
    assert fines == {"penalty_decision", "onsite_decision", "daily_penalty_decision"}


def test_the_remedies_and_the_payment_read_the_agency_and_the_rules(world):
    remedies = remedy_fields(world.harbin)
    assert remedies["reconsideration_body"] == world.harbin.reconsideration_body
    assert remedies["rights_text"] == (
        f"如不服本决定，可以自收到本决定书之日起60日内向{world.harbin.reconsideration_body}申请行政复议，"
        f"也可以自收到本决定书之日起6个月内向{world.harbin.court}提起行政诉讼。"
    )
    payment = payment_fields(world.harbin)
    assert payment["payment_channel"] == world.harbin.payment_channel
    assert payment["payment_text"].startswith(
        f"罚款自收到本决定书之日起15日内缴纳，缴款途径：{world.harbin.payment_channel}。"
    )
    assert "每日按罚款数额的3%加处罚款" in payment["payment_text"]
    rule_set(actor=None, key="payment.days", agency=world.harbin, value=20, citation="某市规定第三条")
    assert "之日起20日内缴纳" in payment_fields(world.harbin)["payment_text"]


def test_an_agency_without_routes_gets_no_remedy_sentence_and_its_decision_is_refused(world):
    agency = agency_set_decision_details(actor=None, agency=world.harbin, reconsideration_body="", court="")
    remedies = remedy_fields(agency)
    assert remedies == {"reconsideration_body": "", "court": "", "rights_text": ""}
    message = refused(world, "seizure_decision", filled("seizure_decision") | remedies)
    assert "行政复议机关、行政诉讼管辖法院、申请行政复议、提起行政诉讼的途径和期限" in message
    assert "在机关页面登记" in message


def paragraphs(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in WordDocument(io.BytesIO(content)).paragraphs]


def test_the_committed_default_templates_are_the_ones_built_from_the_types():
    folder = Path(services.DEFAULT_TEMPLATES)
    stale = [
        code
        for code, kind in TYPES.items()
        if paragraphs((folder / f"{code}.docx").read_bytes()) != paragraphs(build_template(kind))
    ]
    assert not stale, f"run `sanxiang documents build-templates` and commit: {stale}"
