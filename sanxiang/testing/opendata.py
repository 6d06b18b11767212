"""Factories for open data: rows of 双公示 files in the current and the older layout, the files themselves (CSV,
XLSX), an import of them, and the fields of a licence entered by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from sanxiang.core.identifiers import resident_id_check_character
from sanxiang.demo.codes import demo_uscc
from sanxiang.publicity import layouts, services
from sanxiang.testing.cases import DECIDED, at

ADULT = "23010319800101002" + resident_id_check_character("23010319800101002")
MINOR = "23010320150101002" + resident_id_check_character("23010320150101002")
COMPANY = demo_uscc("91", "230100", 4242)
UNKNOWN_AGENCY = demo_uscc("11", "239900", 4243)
USCC = layouts.USCC
OLD_FIFTH = "行政相对人代码_5(居民身份证号)"
NEW_FIFTH = "行政相对人代码_5(事业单位证书号)"


def penalty_row(world, **overrides) -> dict:
    """A company's fine of 150,000 yuan by the Harbin bureau, decided on 12 October 2026, in the current layout."""
    return {
        "行政相对人名称": "哈尔滨市松北区示例热力有限公司",
        "行政相对人类别": "法人及非法人组织",
        USCC: COMPANY,
        "法定代表人": "孙建业",
        "行政处罚决定书文号": "哈环罚〔2026〕101号",
        "违法行为类型": "超标排放大气污染物",
        "违法事实": "锅炉烟气二氧化硫排放浓度超过排放标准。",
        "处罚依据": "《中华人民共和国大气污染防治法》第九十九条",
        "处罚类别": "罚款",
        "处罚内容": "罚款人民币壹拾伍万元",
        "罚款金额（万元）": "15",
        "处罚决定日期": "2026/10/12",
        "处罚有效期": "20271012",
        "处罚机关": world.harbin.name,
        "处罚机关统一社会信用代码": world.harbin.uscc,
        "数据来源单位": world.harbin.name,
        "数据来源单位统一社会信用代码": world.harbin.uscc,
    } | overrides


def person_row(world, **overrides) -> dict:
    return penalty_row(
        world,
        **{
            "行政相对人名称": "王建军",
            "行政相对人类别": "自然人",
            USCC: "",
            "法定代表人": "",
            "证件类型": "身份证",
            "证件号码": ADULT,
            "行政处罚决定书文号": "哈环罚〔2026〕102号",
            "罚款金额（万元）": "0.5",
            "处罚内容": "罚款人民币伍仟元",
        }
        | overrides,
    )


def old_penalty_row(world, **overrides) -> dict:
    """The same kind of decision as a legacy system writes it (c. 2016 layout)."""
    return {
        "行政处罚决定书文号": "哈环罚〔2026〕201号",
        "处罚名称": "王建军露天焚烧废旧轮胎案",
        "处罚类别1": "罚款",
        "处罚类别2": "没收违法所得",
        "处罚事由": "在自家院内焚烧废旧轮胎。",
        "处罚依据": "《中华人民共和国大气污染防治法》第一百一十九条",
        "行政相对人名称": "王建军",
        OLD_FIFTH: ADULT,
        "处罚结果": "罚款人民币伍仟元，没收违法所得",
        "处罚生效期": "20261012",
        "处罚截止期": "2027-10-12",
        "处罚机关": world.harbin.name,
        "当前状态": "正常",
        "地方编码": "230100",
    } | overrides


def csv_file(fields, rows, *, header=None) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header or fields)
    for row in rows:
        writer.writerow([row.get(field, "") for field in fields])
    return io.BytesIO(text.getvalue().encode("utf-8-sig"))


def xlsx_file(fields, rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(fields)
    for row in rows:
        sheet.append([row.get(field) for field in fields])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def imported(world, rows, *, fields=layouts.PENALTY.fields, kind="penalty", actor=None, file_format="csv"):
    source = csv_file(fields, rows) if file_format == "csv" else xlsx_file(fields, rows)
    with at(DECIDED):
        return services.publications_import(
            actor=actor or world.people.clerk, kind=kind, source=source, file_format=file_format
        )


def licence_fields(**overrides) -> dict:
    return {
        "行政相对人名称": "哈尔滨市松北区示例热力有限公司",
        "行政相对人类别": "法人及非法人组织",
        USCC: COMPANY,
        "法定代表人": "孙建业",
        "行政许可决定文书名称": "关于锅炉改造项目环境影响报告表的批复",
        "行政许可决定文书号": "",
        "许可编号": "哈环审〔2026〕56号",
        "许可类别": "普通",
        "许可决定日期": dt.date(2026, 10, 12),
        "有效期自": dt.date(2026, 10, 12),
        "有效期至": dt.date(2031, 10, 11),
    } | overrides
