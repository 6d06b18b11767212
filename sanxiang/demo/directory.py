"""The demo's regulated-entity directory (监管对象名录库) of 哈尔滨: a few hundred fictional enterprises across the
city's districts, each with a well-formed 统一社会信用代码, an area, an industry, a tier and, for the polluters that
hold one, an 排污许可证 — imported by an officer from a spreadsheet through the same import staff use, so that a
双随机 draw has a directory to draw from."""

from __future__ import annotations

import datetime as dt
import io

from sanxiang.agencies.models import Agency, User
from sanxiang.cases.models import Party
from sanxiang.cases.services import parties_import
from sanxiang.core.csvlines import csv_lines
from sanxiang.demo.codes import DISTRICTS, demo_uscc, permit_number
from sanxiang.demo.story import Story

HARBIN = "230100"
AREAS = [name for name, code in DISTRICTS.items() if code.startswith("2301")]
WORDS = (
    "北辰 松花 冰城 龙江 鑫达 宏远 华信 金源 恒通 正阳 瑞丰 博润 中兴 天元 东升 "
    "新发 长青 永安 汇丰 广源 盛达 福瑞 嘉禾 润泽 明远 兴隆 安泰 德信 宝丰 通达"
).split()
# industry, the name's ending, whether its works need a 排污许可证
TRADES = [
    ("化学原料和化学制品制造业", "化工有限公司", True),
    ("金属表面处理及热处理加工", "表面处理有限公司", True),
    ("食品制造业", "食品有限公司", True),
    ("印刷和记录媒介复制业", "印务有限公司", False),
    ("机动车维修", "汽车维修服务有限公司", False),
    ("非金属矿物制品业", "建材有限公司", True),
    ("电力、热力生产和供应业", "热力有限公司", True),
    ("医药制造业", "制药有限公司", True),
    ("木材加工和木、竹、藤、棕、草制品业", "木业有限公司", False),
    ("通用设备制造业", "机械制造有限公司", False),
    ("生态保护和环境治理业", "环保科技有限公司", True),
]
ROADS = ("中山路", "友谊路", "红旗大街", "学府路", "哈平路", "松花江街", "长江路", "东直路", "通乡街", "文昌街")
SURNAMES, GIVEN = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗",
    "建国 海燕 志强 秀英 立新 春梅 德明 玉兰 国庆 丽华".split(),
)
FIELDS = [
    "名称",
    "统一社会信用代码",
    "类别",
    "地址",
    "区划代码",
    "行业",
    "排污许可证编号",
    "分级分类",
    "重点排污单位",
    "法定代表人",
    "联系电话",
]


def directory_rows() -> list[list[str]]:
    """Every district with every word: one enterprise each, of a trade that turns with them."""
    rows = []
    for number, (area, word) in enumerate((area, word) for area in AREAS for word in WORDS):
        industry, ending, permitted = TRADES[number % len(TRADES)]
        division = DISTRICTS[area]
        uscc = demo_uscc("91", division, 20000 + number)
        key = number % 12 == 0  # about one in twelve: the district's 重点排污单位
        tier = "重点监管" if key else "正面清单" if number % 8 == 3 else "一般监管"
        rows.append(
            [
                f"哈尔滨市{area}{word}{ending}",
                uscc,
                "法人",
                f"哈尔滨市{area}{ROADS[number % len(ROADS)]}{number % 97 + 1}号",
                division,
                industry,
                permit_number(uscc) if permitted and (key or number % 3 == 0) else "",
                tier,
                "是" if key else "否",
                SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)],
                f"0451-8{number:07d}",
            ]
        )
    return rows


def load_directory(*, today: dt.date) -> int:
    """The directory, imported once by a Harbin officer a year before today; returns how many were imported."""
    agency = Agency.objects.get(code=HARBIN)
    if Party.objects.filter(agency=agency, uscc=demo_uscc("91", DISTRICTS[AREAS[0]], 20000)).exists():
        return 0
    officer = User.objects.get(username="hrb.officer2")
    story, imported = Story(today), []
    content = "".join(csv_lines(FIELDS, directory_rows())).encode("utf-8")

    def run():
        result = parties_import(actor=officer, agency=agency, source=io.BytesIO(content), file_format="csv")
        imported.append(result.created)

    story.add(story.day(365), run)
    story.run()
    return imported[0]
