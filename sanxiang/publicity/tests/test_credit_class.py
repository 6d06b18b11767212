"""Credit classes under 《信用修复管理办法》 (from 2026-04-01): a penalty decided by the simple procedure is 轻微 like a
warning, shown three months at most; the class is a rule (`credit.simple_procedure_minor`) an agency may read
otherwise, and an ordinary-procedure fine stays 一般."""

import datetime as dt

import pytest

from sanxiang.agencies.services import rule_set
from sanxiang.cases.models import PenaltyKind
from sanxiang.publicity.models import CreditClass, Publication
from sanxiang.publicity.periods import credit_class
from sanxiang.testing.cases import DECIDED, at
from sanxiang.testing.opendata import imported, penalty_row, person_row
from sanxiang.testing.publicity import publish

ONSITE = {"行政处罚决定书文号": "哈环当罚〔2026〕7号", "处罚内容": "罚款人民币贰佰元", "罚款金额（万元）": "0.02"}


@pytest.mark.parametrize("field", ["备注", "处罚类别"])
def test_an_imported_simple_procedure_fine_is_minor_and_shown_three_months(world, field):
    marks = {"备注": "简易程序"} if field == "备注" else {"处罚类别": "罚款（简易程序）"}
    imported(world, [person_row(world, **ONSITE, **marks), penalty_row(world)])
    onsite = Publication.objects.get(number="哈环当罚〔2026〕7号")
    assert onsite.credit_class == CreditClass.MINOR
    assert Publication.objects.exclude(pk=onsite.pk).get().credit_class == CreditClass.GENERAL
    with at(DECIDED):
        publish(world, onsite)
    onsite.refresh_from_db()
    assert onsite.display_until == dt.date(2027, 1, 12)


def test_the_agency_may_read_simple_procedure_fines_by_their_kind(world):
    rule_set(actor=None, key="credit.simple_procedure_minor", agency=world.harbin, value=0, citation="哈尔滨市某规定")
    imported(world, [person_row(world, **ONSITE, 备注="简易程序")])
    assert Publication.objects.get().credit_class == CreditClass.GENERAL


def test_the_class_of_a_simple_procedure_penalty_never_lowers_a_serious_one(world):
    assert credit_class([PenaltyKind.FINE], agency=world.harbin, simple_procedure=True) == CreditClass.MINOR
    assert credit_class([PenaltyKind.FINE], agency=world.harbin) == CreditClass.GENERAL
    assert credit_class([PenaltyKind.CLOSE], agency=world.harbin, simple_procedure=True) == CreditClass.SERIOUS
    assert credit_class([PenaltyKind.WARNING], agency=world.harbin) == CreditClass.MINOR
    assert credit_class([], agency=world.harbin) == CreditClass.GENERAL


def test_the_on_the_spot_form_states_the_limits_and_the_credit_class(world, client):
    client.force_login(world.people.officer)
    page = client.get("/workbench/cases/onsite/").content.decode()
    assert "适用简易程序作出的行政处罚信息属于轻微失信信息" in page and "信用修复管理办法" in page
    assert "200 元" in page and "个体工商户" in page
