"""The national 双公示 data layouts (行政处罚 / 行政许可) as data: the current ones that exports follow field for field,
and the older ones that legacy systems still produce, which imports map onto the current ones.

Source of the current layouts (CF_ penalty, XK_ licence): the 双公示 data standard, 2020/2021 revision, as
reconstructed from several public implementations that agree with each other (a 2024 MySQL DDL with column
comments, a Django model marking "(必填)", a JS field map, a Java entity quoting the fill-in guidance); the standard
itself was not retrieved, so the field list is "consistent with the current standard" (unconfirmed).

Source of the older (c. 2016) layouts: public scrapers of provincial 信用 sites (信用中国(宁夏), creditsx.gov.cn) and
code enums for penalties; Java field maps of a 2016-era data exchange tool (XK_WSH … XK_XDR_SFZ … BZ) and scrapers
of provincial sites for licences. Some local variants add 公示期限.

The trap between them: the older 行政相对人代码_5 is the resident ID number (居民身份证号); in the current revision
_5 is the 事业单位证书号 and a natural person's ID moved to 证件类型/证件号码. Columns are matched by their full
name with the bracketed part, so an old _5 can never land in the new _5.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.publicity.models import Kind

CURRENT_SOURCE = "双公示数据标准（2020/2021 年修订版，据多个公开实现整理，标准原文未取得）"
OLD_SOURCE = "2016 年前后的双公示数据格式（据各省信用网站采集程序及数据交换程序整理）"

PARTY_CODES = (
    "行政相对人代码_1(统一社会信用代码)",
    "行政相对人代码_2(工商注册号)",
    "行政相对人代码_3(组织机构代码)",
    "行政相对人代码_4(税务登记号)",
    "行政相对人代码_5(事业单位证书号)",
    "行政相对人代码_6(社会组织登记证号)",
)
PARTY = (
    "行政相对人名称",
    "行政相对人类别",
    *PARTY_CODES,
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "证件类型",
    "证件号码",
)
USCC = PARTY_CODES[0]
PARTY_CLASSES = ("法人及非法人组织", "自然人", "个体工商户")
ORGANISATION, NATURAL_PERSON = PARTY_CLASSES[0], PARTY_CLASSES[1]
# Collected and shared with credit platforms, never shown (domain.md §16, 双公示 natural persons): open data leaves
# them empty whatever the record holds.
ID_NUMBERS = ("法定代表人证件号码", "证件号码")
RESIDENT_ID = "身份证"
LICENCE_CLASSES = ("普通", "特许", "认可", "核准", "登记", "其他")
DATA_SOURCE = ("数据来源单位", "数据来源单位统一社会信用代码")
CHOICES = {"行政相对人类别": PARTY_CLASSES, "许可类别": LICENCE_CLASSES}


@dataclass(frozen=True)
class Column:
    """A column of a file: the current fields it fills (none: read and dropped), other spellings of its name,
    and fields it implies when it has a value (an old _5 value means 证件类型 身份证)."""

    name: str
    to: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    implies: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: str
    title: str
    current: bool
    columns: tuple[Column, ...]
    required: frozenset[str]  # column names that must have a value

    @property
    def fields(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def carries(self) -> set[str]:
        """The current fields this layout can fill."""
        return {field for column in self.columns for field in column.to}


@dataclass(frozen=True)
class Current(Layout):
    """A current layout, with the roles of its fields: the deciding agency, the decision number and date, and the
    fields checked as 统一社会信用代码, dates and amounts in 万元."""

    agency: str = ""
    number: str = ""
    decided: str = ""
    dates: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()

    @property
    def agency_uscc(self) -> str:
        return f"{self.agency}统一社会信用代码"

    @property
    def codes(self) -> tuple[str, ...]:
        return (USCC, self.agency_uscc, DATA_SOURCE[1])


def _same(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, (name,)) for name in names)


PENALTY_AMOUNTS = ("罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）")
PENALTY = Current(
    kind=Kind.PENALTY,
    title="行政处罚",
    current=True,
    columns=_same(
        *PARTY,
        "行政处罚决定书文号",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        *PENALTY_AMOUNTS,
        "暂扣或吊销证照名称及编号",
        "处罚决定日期",
        "处罚有效期",
        "公示截止期",
        "处罚机关",
        "处罚机关统一社会信用代码",
        *DATA_SOURCE,
        "备注",
    ),
    required=frozenset(
        {
            "行政相对人名称",
            "行政相对人类别",
            "行政处罚决定书文号",
            "违法行为类型",
            "违法事实",
            "处罚依据",
            "处罚类别",
            "处罚内容",
            "处罚决定日期",
            "处罚有效期",
            "处罚机关",
            "处罚机关统一社会信用代码",
            *DATA_SOURCE,
        }
    ),
    agency="处罚机关",
    number="行政处罚决定书文号",
    decided="处罚决定日期",
    dates=("处罚决定日期", "处罚有效期", "公示截止期"),
    amounts=PENALTY_AMOUNTS,
)

# §15.2 marks 文书名称, 文书号 and 许可类别 必填; the party, date, agency and source fields are taken as required like
# their penalty counterparts (unconfirmed). 有效期至 2099-12-31 means long-term.
LONG_TERM = "2099-12-31"
LICENCE = Current(
    kind=Kind.LICENCE,
    title="行政许可",
    current=True,
    columns=_same(
        *PARTY,
        "行政许可决定文书名称",
        "行政许可决定文书号",
        "许可类别",
        "许可证书名称",
        "许可编号",
        "许可内容",
        "许可决定日期",
        "有效期自",
        "有效期至",
        "许可机关",
        "许可机关统一社会信用代码",
        "当前状态",
        *DATA_SOURCE,
        "备注",
    ),
    required=frozenset(
        {
            "行政相对人名称",
            "行政相对人类别",
            "行政许可决定文书名称",
            "行政许可决定文书号",
            "许可类别",
            "许可决定日期",
            "有效期自",
            "有效期至",
            "许可机关",
            "许可机关统一社会信用代码",
            *DATA_SOURCE,
        }
    ),
    agency="许可机关",
    number="行政许可决定文书号",
    decided="许可决定日期",
    dates=("许可决定日期", "有效期自", "有效期至"),
)

# (field, field it depends on, words there that make it required): a fine needs its amount, and so on.
CONDITIONS = (
    ("罚款金额（万元）", "处罚类别", ("罚款",)),
    ("没收违法所得、没收非法财物的金额（万元）", "处罚类别", ("没收",)),
    ("暂扣或吊销证照名称及编号", "处罚类别", ("暂扣", "吊销")),
    (USCC, "行政相对人类别", (ORGANISATION,)),
    ("法定代表人", "行政相对人类别", (ORGANISATION,)),
    ("证件类型", "行政相对人类别", (NATURAL_PERSON,)),
    ("证件号码", "行政相对人类别", (NATURAL_PERSON,)),
)

_OLD_PARTY = (
    Column("行政相对人名称", ("行政相对人名称",)),
    Column("行政相对人代码_1(统一社会信用代码)", (USCC,)),
    Column("行政相对人代码_2(组织机构代码)", ("行政相对人代码_3(组织机构代码)",)),
    Column("行政相对人代码_3(工商登记码)", ("行政相对人代码_2(工商注册号)",)),
    Column("行政相对人代码_4(税务登记号)", ("行政相对人代码_4(税务登记号)",)),
    Column("行政相对人代码_5(居民身份证号)", ("证件号码",), implies=(("证件类型", RESIDENT_ID),)),
)
# Read and dropped: the area code and timestamps belong to the old system.
_OLD_DROPPED = (Column("地方编码", ()), Column("数据更新时间戳", (), aliases=("数据报送时间",)), Column("公示期限", ()))

OLD_PENALTY = Layout(
    kind=Kind.PENALTY,
    title="行政处罚（2016 年格式）",
    current=False,
    columns=(
        Column("行政处罚决定书文号", ("行政处罚决定书文号",)),
        Column("处罚名称", ("违法行为类型",), aliases=("案件名称",)),
        Column("处罚类别1", ("处罚类别",)),
        Column("处罚类别2", ("处罚类别",)),
        Column("处罚事由", ("违法事实",)),
        Column("处罚依据", ("处罚依据",)),
        *_OLD_PARTY,
        Column("法定代表人居民身份证号", ("法定代表人证件号码",), implies=(("法定代表人证件类型", RESIDENT_ID),)),
        Column("法定代表人姓名", ("法定代表人",)),
        Column("处罚结果", ("处罚内容",)),
        Column("处罚生效期", ("处罚决定日期",)),
        Column("处罚截止期", ("处罚有效期",)),
        Column("处罚机关", ("处罚机关",)),
        Column("备注", ("备注",)),
        # The platform that publishes the record is its data source now; the old providing unit has no code.
        Column("信息提供部门", ()),
        # The current penalty layout has no status field: a decision no longer in force is not one to import.
        Column("当前状态", ()),
        *_OLD_DROPPED,
    ),
    required=frozenset(
        {
            "行政处罚决定书文号",
            "处罚名称",
            "处罚类别1",
            "处罚事由",
            "处罚依据",
            "行政相对人名称",
            "处罚结果",
            "处罚生效期",
            "处罚截止期",
            "处罚机关",
        }
    ),
)

OLD_LICENCE = Layout(
    kind=Kind.LICENCE,
    title="行政许可（2016 年格式）",
    current=False,
    columns=(
        Column("行政许可决定书文号", ("行政许可决定文书号",)),
        Column("项目名称", ("行政许可决定文书名称",)),
        Column("审批类别", ("许可类别",)),
        Column("许可内容", ("许可内容",)),
        *_OLD_PARTY,
        Column("法定代表人姓名", ("法定代表人",)),
        # The old layout has no start of validity: the licence runs from its decision.
        Column("许可决定日期", ("许可决定日期", "有效期自"), aliases=("许可生效期",)),
        Column("许可截止期", ("有效期至",)),
        Column("许可机关", ("许可机关",)),
        Column("备注", ("备注",)),
        Column("当前状态", ("当前状态",)),
        *_OLD_DROPPED,
    ),
    required=frozenset(
        {"行政许可决定书文号", "项目名称", "审批类别", "行政相对人名称", "许可决定日期", "许可截止期", "许可机关"}
    ),
)

CURRENT = {Kind.PENALTY: PENALTY, Kind.LICENCE: LICENCE}
LAYOUTS = {Kind.PENALTY: (PENALTY, OLD_PENALTY), Kind.LICENCE: (LICENCE, OLD_LICENCE)}
