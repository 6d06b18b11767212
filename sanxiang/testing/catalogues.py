"""Factories for the powers catalogue and what hangs on it, built through their services: a power of each kind, an
item with its frequencies, legal-review lines under powers, and the rows of the files their imports take."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sanxiang.inspections import services as inspections
from sanxiang.inspections.models import InspectionItem
from sanxiang.powers import services as powers
from sanxiang.powers.models import Power, PowerKind
from sanxiang.review import services as review
from sanxiang.review.models import ReviewRule

_serial = itertools.count(1)
PUBLISHED = dt.date(2026, 1, 5)
BASIS = {
    PowerKind.PENALTY: "《中华人民共和国大气污染防治法》第九十九条",
    PowerKind.COERCION: "《中华人民共和国环境保护法》第二十五条",
    PowerKind.INSPECTION: "《中华人民共和国环境保护法》第二十四条",
    PowerKind.LICENSING: "《排污许可管理条例》第三条",
}


def make_power(agency, kind: str = PowerKind.INSPECTION, **overrides) -> Power:
    values = {
        "code": f"T-{next(_serial):04d}",
        "kind": kind,
        "name": f"测试{PowerKind(kind).label}事项",
        "basis": BASIS[kind],
        "unit": "执法支队",
        "published_on": PUBLISHED,
    }
    return powers.power_create(actor=None, agency=agency, **(values | overrides))


def make_item(power: Power, *, frequencies: dict | None = None, **overrides) -> InspectionItem:
    """An item under `power` with, for each tier in `frequencies`, its (share %, yearly cap)."""
    values = {
        "code": f"J-{next(_serial):04d}",
        "name": "排污单位污染物排放情况检查",
        "basis": "《中华人民共和国环境保护法》第二十四条",
        "subject": "重点排污单位及其他实行排污许可管理的单位",
        "published_on": PUBLISHED,
    }
    item = inspections.item_create(actor=None, agency=power.agency, power=power, **(values | overrides))
    for tier, (share, cap) in (frequencies or {}).items():
        inspections.frequency_set(
            actor=None, item=item, tier=tier, draw_percent=Decimal(share), yearly_cap=cap, citation="哈环发〔2026〕1号"
        )
    return item


def power_row(**overrides) -> dict:
    return {
        "事项编码": "230100-CF-001",
        "事项类型": "行政处罚",
        "事项名称": "对超标排放大气污染物的处罚",
        "设定和实施依据": "《中华人民共和国大气污染防治法》第九十九条",
        "承办机构": "执法支队",
        "公布日期": "2026-01-05",
    } | overrides


def item_row(power: Power, **overrides) -> dict:
    return {
        "事项编码": "230100-JC-001",
        "检查事项": "排污单位污染物排放情况检查",
        "执法事项编码": power.code,
        "检查依据": "《中华人民共和国环境保护法》第二十四条",
        "检查对象": "重点排污单位",
        "检查方式": "现场检查",
        "纳入双随机": "是",
        "公布日期": "2026-01-05",
        "重点监管抽查比例（%）": "100",
        "重点监管每年检查上限": "4",
        "一般监管抽查比例（%）": "10",
        "一般监管每年检查上限": "2",
        "频次依据": "哈环发〔2026〕1号",
    } | overrides


def add_lines_with_powers(agency, count: int) -> list[ReviewRule]:
    """`count` lines of the agency's legal-review catalogue (its own list, copied from above first), each under a
    penalty power of its own."""
    return [
        review.review_rule_add(
            actor=None,
            agency=agency,
            kind=ReviewRule.Kind.FINE_ORGANISATION,
            value=str(10_000 * number),
            description=f"对法人罚款{number}万元以上",
            citation="哈环规〔2026〕2号",
            power=make_power(agency, PowerKind.PENALTY),
        )
        for number in range(1, count + 1)
    ]
