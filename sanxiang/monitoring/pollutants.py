"""HJ 212-2017 codes the monitoring app reads: pollutants, data flags, system, command and reply codes.

Source: HJ 212-2017《污染物在线监控（监测）系统数据传输标准》. The standard's text was not read; every value below
was checked against public transcriptions of it, which agree with each other except where a comment says otherwise
(domain.md §27):

- 附录B pollutant codes, names and units: srdgame/lua-HJ212 `hj212.csv` (the table with its HJ/T 212-2005 codes
  beside the 2017 ones), checked against lingkejia/bocon-operation-app `src/lib/polcodeList17.js`;
- data flags: 1249993110/IceCoffee.HJ212 `Models/InstrumentationDataFlag.cs` and srdgame/lua-HJ212 `hj212/types.lua`;
- system codes (ST): IceCoffee.HJ212 `Models/SystemCodes.cs` and lua-HJ212 `hj212/types.lua`;
- command codes (CN) and QnRtn: lua-HJ212 `hj212/types.lua`, IceCoffee.HJ212 `Models/CommandNumber.cs` and
  `Models/RequestCommandReturn.cs`, w425015654/myTest `T212Code.java`;

The standard writes units in words (毫克/立方米); they are given here as symbols. Names are the table's.
"""

from __future__ import annotations

from dataclasses import dataclass

AIR = "air"
WATER = "water"
MEDIA = (AIR, WATER)


@dataclass(frozen=True)
class Pollutant:
    code: str
    name: str
    unit: str
    medium: str


@dataclass(frozen=True)
class DataFlag:
    code: str
    meaning: str
    valid: bool


@dataclass(frozen=True)
class Code:
    """A numbered code of the standard's tables (ST, CN, QnRtn) and what it means."""

    code: int
    meaning: str


# Flue-gas outlets (ST 31) and waste-water outlets (ST 32): the factors 排污许可 and the CEMS / water on-line
# monitoring rules (HJ 75, HJ 353–356) make enterprises measure, plus the flue-gas state parameters without which a
# concentration cannot be corrected to the standard's oxygen content and dry gas.
POLLUTANTS: tuple[Pollutant, ...] = (
    # The table gives 立方米/秒 for 废气 and 升/秒 for 污水; many data loggers send m³/h (the bocon list offers
    # m³/s, m³/h and L/s). The standard's unit is kept: a packet's value is read in it.
    Pollutant("a00000", "废气", "m³/s", AIR),
    Pollutant("a01011", "烟气流速", "m/s", AIR),
    Pollutant("a01012", "烟气温度", "℃", AIR),
    Pollutant("a01013", "烟气压力", "kPa", AIR),
    Pollutant("a01014", "烟气湿度", "%", AIR),
    Pollutant("a19001", "氧气含量", "%", AIR),
    # 烟尘 is the table's name for the code under which CEMS report 颗粒物 (HJ/T 212-2005 code 01).
    Pollutant("a34013", "烟尘", "mg/m³", AIR),
    Pollutant("a21026", "二氧化硫", "mg/m³", AIR),
    Pollutant("a21002", "氮氧化物", "mg/m³", AIR),
    Pollutant("a21003", "一氧化氮", "mg/m³", AIR),
    Pollutant("a21004", "二氧化氮", "mg/m³", AIR),
    Pollutant("a21005", "一氧化碳", "mg/m³", AIR),
    Pollutant("a21024", "氯化氢", "mg/m³", AIR),
    Pollutant("a21028", "硫化氢", "mg/m³", AIR),
    Pollutant("a24088", "非甲烷总烃", "mg/m³", AIR),
    Pollutant("w00000", "污水", "L/s", WATER),
    Pollutant("w01001", "pH值", "无量纲", WATER),
    Pollutant("w01010", "水温", "℃", WATER),
    Pollutant("w01012", "悬浮物", "mg/L", WATER),
    Pollutant("w01018", "化学需氧量", "mg/L", WATER),
    Pollutant("w01020", "总有机碳", "mg/L", WATER),
    Pollutant("w21003", "氨氮", "mg/L", WATER),
    Pollutant("w21001", "总氮", "mg/L", WATER),
    Pollutant("w21011", "总磷", "mg/L", WATER),
    Pollutant("w22001", "石油类", "mg/L", WATER),
    Pollutant("w20116", "总铬", "mg/L", WATER),
    # 六价铬 is measured in 微克/升 in the table, unlike 总铬.
    Pollutant("w20117", "六价铬", "μg/L", WATER),
)

BY_CODE: dict[str, Pollutant] = {p.code: p for p in POLLUTANTS}


def name_of(code: str) -> str:
    """The factor's name in the table, or the code itself when the table does not hold it."""
    pollutant = BY_CODE.get(code)
    return pollutant.name if pollutant else code


def choices(medium: str | None = None) -> list[tuple[str, str]]:
    """The factors (of `medium`, else all) as form choices, each labelled 名称（编码）."""
    return [(p.code, f"{p.name}（{p.code}）") for p in POLLUTANTS if medium is None or p.medium == medium]


# Older loggers still send the HJ/T 212-2005 codes; the 2017 table names each one's predecessor.
CODES_2005: dict[str, str] = {
    "B02": "a00000",
    "S02": "a01011",
    "S03": "a01012",
    "S08": "a01013",
    "S05": "a01014",
    "S01": "a19001",
    "01": "a34013",
    "02": "a21026",
    "03": "a21002",
    "04": "a21005",
    "08": "a21024",
    "05": "a21028",
    "B01": "w00000",
    "001": "w01001",
    "003": "w01012",
    "011": "w01018",
    "015": "w01020",
    "060": "w21003",
    "065": "w21001",
    "101": "w21011",
    "080": "w22001",
    "023": "w20116",
    "024": "w20117",
}

# The `<code>-Flag=` of each value (数据标记). The meanings are the table's. Only N is a measurement made in normal
# operation; S is a value typed in by hand, which IceCoffee.HJ212 annotates 有效 (the standard's wording on S was not
# read: domain.md §27) — it is valid data, never a measured exceedance (our reading, §27).
DATA_FLAGS: tuple[DataFlag, ...] = (
    DataFlag("N", "在线监控（监测）仪器仪表工作正常", True),
    DataFlag("F", "在线监控（监测）仪器仪表停运", False),
    DataFlag("M", "在线监控（监测）仪器仪表处于维护期间产生的数据", False),
    DataFlag("S", "手工输入的设定值", True),
    DataFlag("D", "在线监控（监测）仪器仪表故障", False),
    DataFlag("C", "在线监控（监测）仪器仪表处于校准状态", False),
    DataFlag("T", "在线监控（监测）仪器仪表采样数值超过测量上限", False),
    DataFlag("B", "在线监控（监测）仪器仪表与数采仪通讯异常", False),
)

FLAG_BY_CODE: dict[str, DataFlag] = {f.code: f for f in DATA_FLAGS}

# 系统编码 (ST). A packet from the platform to a station (responses) carries 91.
SYSTEM_CODES: tuple[Code, ...] = (
    Code(21, "地表水质量监测"),
    Code(22, "空气质量监测"),
    Code(23, "声环境质量监测"),
    Code(24, "地下水质量监测"),
    Code(25, "土壤质量监测"),
    Code(26, "海水质量监测"),
    Code(27, "挥发性有机物监测"),
    Code(31, "大气环境污染源"),
    Code(32, "地表水体环境污染源"),
    Code(33, "地下水体环境污染源"),
    Code(34, "海洋环境污染源"),
    Code(35, "土壤环境污染源"),
    Code(36, "声环境污染源"),
    Code(37, "振动环境污染源"),
    Code(38, "放射性环境污染源"),
    Code(39, "工地扬尘污染源"),
    Code(41, "电磁环境污染源"),
    Code(51, "烟气排放过程监控"),
    Code(52, "污水排放过程监控"),
    Code(91, "系统交互"),
)

# 命令编码 (CN) of the uploads the platform stores and of its responses; the settings and control commands
# (1000–3021) are not used by the platform.
COMMAND_CODES: tuple[Code, ...] = (
    Code(2011, "实时数据"),
    Code(2051, "分钟数据"),
    Code(2061, "小时数据"),
    Code(2031, "日数据"),
    Code(9011, "请求应答"),
    Code(9012, "执行结果"),
    Code(9013, "通知应答"),
    Code(9014, "数据应答"),
)

# QnRtn, the answer to a request (9011).
REPLY_CODES: tuple[Code, ...] = (
    Code(1, "准备执行请求"),
    Code(2, "请求被拒绝"),
    Code(3, "PW错误"),
    Code(4, "MN错误"),
    Code(5, "ST错误"),
    Code(6, "Flag错误"),
    Code(7, "QN错误"),
    Code(8, "CN错误"),
    Code(9, "CRC校验错误"),
    Code(100, "未知错误"),
)
