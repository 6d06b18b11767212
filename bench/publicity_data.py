"""The publicity benchmark's data: a million published decisions of the 13 city bureaus, 2019–2026, made up from
kinds in their rough proportions, parties and violations with their facts, built by two processes and written in
batches (COPY on PostgreSQL), each with one published version and its search index rows."""

from __future__ import annotations

import datetime as dt
import os
import random

DECISIONS = int(os.environ.get("BENCH_DECISIONS", 1_000_000))
BATCH = 5000
PLAIN = {str, int, bool, type(None)}
FIRST_DAY, LAST_DAY = dt.date(2019, 1, 2), dt.date(2026, 11, 20)

# What the decisions are made of: kinds in their rough proportions, parties, violations with their facts.
KINDS = [
    ("penalty", "行政处罚决定书", "罚", 85),
    ("correction", "责令改正违法行为决定书", "改", 10),
    ("coercive", "查封、扣押决定书", "封", 4),
    ("production", "责令限制生产决定书", "限", 1),
]
NAMES = [
    "宏达",
    "北方",
    "龙江",
    "鑫源",
    "华泰",
    "金谷",
    "恒通",
    "兴隆",
    "东升",
    "瑞丰",
    "天成",
    "广源",
    "松花",
    "雪乡",
    "三江",
    "永盛",
    "富民",
    "佳禾",
    "黑土",
    "宝泉",
    "新兴",
    "长青",
    "锦程",
    "汇丰",
    "中原",
    "大地",
    "博远",
    "正阳",
    "晨光",
    "庆丰",
]
TRADES = [
    "精细化工",
    "热电",
    "建材",
    "混凝土",
    "食品",
    "制药",
    "机械制造",
    "矿业",
    "煤业",
    "印染",
    "酿酒",
    "造纸",
    "木业",
    "石油化工",
    "畜牧",
    "塑料制品",
    "汽车维修",
    "铸造",
    "粮食加工",
    "再生资源",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
SCENES = [
    "生产车间",
    "锅炉房",
    "厂区东侧露天堆场",
    "污水处理站",
    "危险废物贮存间",
    "施工工地",
    "燃煤锅炉房",
    "喷涂车间",
]
DETAILS = {
    "DQ": [
        "烟气颗粒物排放浓度为{v}毫克/立方米，超过《锅炉大气污染物排放标准》限值{m}倍，超标排放大气污染物",
        "易产生扬尘的物料未采取密闭、围挡或者遮盖措施，扬尘污染明显",
        "燃煤锅炉脱硫设施未正常运行，二氧化硫排放浓度为{v}毫克/立方米",
    ],
    "SW": ["废水总排口化学需氧量浓度为{v}毫克/升，超过排放标准{m}倍", "通过暗管将未经处理的生产废水排入厂外沟渠"],
    "GF": ["{v}吨危险废物露天堆放，未设置识别标志，未采取防扬散、防流失、防渗漏措施", "未建立工业固体废物管理台账"],
    "HP": ["建设项目环境影响报告表未经批准即开工建设，已完成主体工程{v}平方米"],
    "JS": ["配套建设的环境保护设施未经验收，主体工程已于{d}投入生产"],
    "PX": ["未取得排污许可证排放污染物", "未按排污许可证规定建立环境管理台账"],
    "TR": ["未按规定开展土壤污染隐患排查"],
    "ZS": ["厂界夜间噪声为{v}分贝，超过工业企业厂界环境噪声排放标准"],
}


def _day(number: int) -> dt.date:
    """Decisions come in order over the years, so ids grow with the decision date as they do in use."""
    return FIRST_DAY + dt.timedelta(days=(LAST_DAY - FIRST_DAY).days * number // DECISIONS)


def _decision(number: int, rng: random.Random, agency, violation) -> dict:
    from sanxiang.demo.codes import demo_uscc

    kind, title, letter, _weight = rng.choices(KINDS, weights=[kind[3] for kind in KINDS])[0]
    code, name, basis, content = violation[:4]
    day, city = _day(number), agency.name.removesuffix("生态环境局")
    # Numbered from 1 within each year: the first decision of the year is the first whose day falls in it.
    first_of_year = -(-(dt.date(day.year, 1, 1) - FIRST_DAY).days * DECISIONS // (LAST_DAY - FIRST_DAY).days)
    document = f"{agency.abbreviation}{letter}〔{day.year}〕{number - first_of_year + 1}号"
    trade = rng.choice(TRADES)
    if rng.random() < 0.9:
        party = f"{city.removesuffix('市').removesuffix('地区')}{rng.choice(NAMES)}{trade}有限公司"
        party_kind, uscc = "法人及非法人组织", demo_uscc("91", agency.code, number % 999_999)
    else:
        party = f"{city}{rng.choice(SURNAMES)}某{trade}经营部"
        party_kind, uscc = "个体工商户", ""
    representative = rng.choice(SURNAMES) + rng.choice(NAMES)[1] + rng.choice(NAMES)[0]
    facts = "经查，你单位{scene}{detail}。".format(
        scene=rng.choice(SCENES),
        detail=rng.choice(DETAILS[code[:2]]).format(
            v=rng.randint(20, 900), m=round(rng.uniform(0.1, 5), 1), d=day - dt.timedelta(days=rng.randint(30, 400))
        ),
    )
    fine = rng.randrange(10_000, 1_000_000, 1000)
    return {
        "kind": kind,
        "title": title,
        "number": document,
        "party": party,
        "party_kind": party_kind,
        "uscc": uscc,
        "representative": representative,
        "violation": name,
        "facts": facts,
        "basis": basis,
        "content": f"{content.split('；')[0]}，罚款{fine}元",
        "fine": fine,
        "day": day,
    }


def _text(record: dict, agency) -> str:
    """A decision document as the portal shows it: about 700 characters around the record's facts."""
    day = record["day"]
    return "\n".join(
        [
            agency.name,
            record["title"],
            record["number"],
            "",
            f"当事人：{record['party']}",
            f"统一社会信用代码：{record['uscc'] or '—'}",
            f"法定代表人（负责人）：{record['representative']}",
            f"{agency.name}于{day - dt.timedelta(days=60):%Y年%m月%d日}对你单位进行了现场检查，发现你单位实施了以下环境违法行为：",
            record["facts"],
            "以上事实，有《现场检查（勘察）笔录》《调查询问笔录》、监测报告、现场照片等证据为凭。",
            f"你单位的上述行为违反了{record['basis']}的规定。本机关于{day - dt.timedelta(days=20):%Y年%m月%d日}以《行政处罚事先告知书》"
            "告知你单位陈述、申辩的权利，你单位在法定期限内未提出陈述、申辩。",
            f"依据{record['basis']}的规定，本机关决定：{record['content']}。",
            "限你单位自收到本决定书之日起十五日内将罚款缴至指定银行和账户。逾期不缴纳罚款的，本机关将依据《中华人民共和国行政处罚法》"
            "第七十二条第一款第一项的规定，每日按罚款数额的百分之三加处罚款。",
            f"你单位如不服本决定，可以在收到本决定书之日起六十日内向{agency.name.removesuffix('生态环境局')}人民政府申请行政复议，"
            "也可以在六个月内向人民法院提起行政诉讼。申请行政复议或者提起行政诉讼，不停止行政处罚决定的执行。",
            agency.name,
            f"{day:%Y年%m月%d日}",
        ]
    )


def _summary(record: dict, agency) -> dict:
    """The 双公示 items as texts.penalty_summary and texts.measure_summary lay them out."""
    from sanxiang.publicity.texts import wan

    organisation = record["party_kind"] == "法人及非法人组织"
    party = {
        "行政相对人名称": record["party"],
        "行政相对人类别": record["party_kind"],
        "行政相对人代码_1(统一社会信用代码)": record["uscc"],
        "法定代表人": record["representative"] if organisation else "",
    }
    source = {"数据来源单位": agency.name, "数据来源单位统一社会信用代码": agency.uscc}
    if record["kind"] != "penalty":
        return {
            **party,
            "决定书文号": record["number"],
            "执法类别": record["title"],
            "违法行为类型": record["violation"],
            "执法结论": record["facts"] + record["content"],
            "决定日期": str(record["day"]),
            "执法机关": agency.name,
            "执法机关统一社会信用代码": agency.uscc,
            **source,
        }
    return {
        **party,
        "行政处罚决定书文号": record["number"],
        "违法行为类型": record["violation"],
        "违法事实": record["facts"],
        "处罚依据": record["basis"],
        "处罚类别": "罚款",
        "处罚内容": record["content"],
        "罚款金额（万元）": wan(record["fine"]),
        "没收违法所得、没收非法财物的金额（万元）": "",
        "暂扣或吊销证照名称及编号": "",
        "处罚决定日期": str(record["day"]),
        "处罚机关": agency.name,
        "处罚机关统一社会信用代码": agency.uscc,
        **source,
    }


def fill(start: int, stop: int) -> None:
    """Decisions `start` to `stop`: two processes build the rows (most of the work is Python), this one writes them."""
    import multiprocessing
    from collections import deque

    from django.core.management.color import no_style
    from django.db import connection, transaction

    from sanxiang.agencies.models import Agency
    from sanxiang.demo.agencies import load_agencies
    from sanxiang.publicity import search
    from sanxiang.publicity.models import Publication, PublicationVersion

    load_agencies(today=LAST_DAY)
    cities = list(Agency.objects.filter(level="city").order_by("code"))
    connection.close()  # the builders are forked from this process and must not share its connection

    def write(rows: tuple[list, list, list]) -> None:
        with transaction.atomic():
            _write(Publication, rows[0])
            _write(PublicationVersion, rows[1])
            search.INDEX.insert(rows[2])

    with multiprocessing.get_context("fork").Pool(2) as pool:
        built = deque()  # a few batches ahead at most, so that memory stays flat whichever side is slower
        for low in range(start, stop, BATCH):
            built.append(pool.apply_async(_batch, (cities, (low, min(low + BATCH, stop)))))
            if len(built) == 4:
                write(built.popleft().get())
        for batch in built:
            write(batch.get())
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Publication, PublicationVersion]):
            cursor.execute(statement)  # the ids were given, so PostgreSQL's sequences must catch up
        # As the database's own maintenance would have done (autovacuum after a bulk insert on PostgreSQL).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _batch(cities: list, numbers: tuple[int, int]) -> tuple[list, list, list]:
    """The rows of decisions numbers[0] to numbers[1], ready to write; the same numbers always give the same rows."""
    import hashlib

    from django.utils import timezone

    from sanxiang.cases.catalogue_data import VIOLATIONS
    from sanxiang.publicity import search
    from sanxiang.publicity.models import Publication, PublicationVersion
    from sanxiang.publicity.services.lifecycle import publication_entry

    rng, now = random.Random(numbers[0]), timezone.now()
    weights = [
        4 if agency.code == "230100" else 2 if agency.code in ("230200", "230600", "231000") else 1 for agency in cities
    ]
    publications, versions = [], []
    for number in range(*numbers):
        agency = rng.choices(cities, weights)[0]
        record = _decision(number, rng, agency, rng.choice(VIOLATIONS))
        publication = Publication(
            pk=number + 1,
            agency=agency,
            kind=record["kind"],
            source="case",
            number=record["number"],
            title=record["title"],
            party_name=record["party"],
            party_kind=record["party_kind"],
            violation=record["violation"],
            decided_on=record["day"],
            due_on=record["day"] + dt.timedelta(days=9),
            status="published",
            credit_class="general" if record["kind"] == "penalty" else "",
            # Still on display today, all of them, so that a million decisions are there to be searched.
            published_on=record["day"] + dt.timedelta(days=5),
            display_until=record["day"].replace(year=record["day"].year + 10, day=min(record["day"].day, 28)),
            summary=_summary(record, agency),
            created_at=now,
        )
        publications.append(publication)
        published_at = timezone.make_aware(dt.datetime.combine(publication.published_on, dt.time(10)))
        original = _text(record, agency)
        public = original.replace(record["representative"], record["representative"][0] + "某")
        versions.append(
            {
                "id": publication.pk,
                "publication_id": publication.pk,
                "number": 1,
                "original": original,
                "summary": publication.summary,
                "public_text": public,
                "public_sha256": hashlib.sha256(public.encode()).hexdigest(),
                "prepared_at": published_at,
                "confirmed_at": published_at,
                "published_at": published_at,
            }
        )
    # The service's own publication_entry decides what is indexed; only the writing is batched.
    return (
        _prepared(Publication, [vars(publication) for publication in publications]),
        _prepared(PublicationVersion, versions),
        search.INDEX.rows(map(publication_entry, publications)),
    )


def _prepared(model, records: list[dict]) -> list[list]:
    """Each value (by attribute name, else the field's default) as its model field hands it to the database, as
    bulk_create would; text, numbers and None go as they are, which is what their fields hand over, for less."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    fields = [(field, field.attname, field.get_default()) for field in model._meta.concrete_fields]
    return [
        [
            value if type(value) in PLAIN else field.get_db_prep_save(value, connection)
            for field, value in ((field, record.get(name, default)) for field, name, default in fields)
        ]
        for record in records
    ]


def _write(model, rows: list[list]) -> None:
    """One statement for many rows (core.textindex.rows_write): bulk_create would build its INSERT again for every
    few dozen rows (SQLite's variable limit), which alone would take most of the fill."""
    from django.db import connection

    from sanxiang.core.textindex import rows_write

    columns = [connection.ops.quote_name(field.column) for field in model._meta.concrete_fields]
    rows_write(model._meta.db_table, columns, rows)
