"""The enforcement procedures the portal draws as flowcharts (行政处罚、行政强制流程, 黑环发〔2019〕112号 三(一)1(3)).

Each step names the rules that time or limit it; their values and citations are read from the rule table when the
page is drawn, so a chart always shows the periods the deadline engine applies to that agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Stage
from sanxiang.core.rules import rule


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    basis: str
    rules: tuple[str, ...] = ()
    condition: str = ""  # when set, the step is taken only in these cases
    anchor: str = ""  # a section of the same page that the step refers to


PENALTY = [
    Step(
        _("立案"),
        _("对发现的违法线索进行登记、核查，符合立案条件的报负责人批准立案。"),
        "《行政处罚法》第五十四条",
        ("filing.decide_days", "filing.extension_days"),
    ),
    Step(
        Stage.INVESTIGATING.label,
        _(
            "两名以上执法人员出示执法证件，全面、客观、公正地调查，收集证据，制作现场检查（勘察）"
            "笔录、调查询问笔录；可以依法采样、先行登记保存。"
        ),
        "《行政处罚法》第四十二条、第五十五条、第五十六条",
        ("officers.min", "preservation.decide_workdays"),
    ),
    Step(
        Stage.REVIEWING.label,
        _("调查终结后，对违法事实、证据、适用依据、程序和自由裁量进行审查，提出处理意见。"),
        "《生态环境行政处罚办法》第三章",
    ),
    Step(
        _("事先告知"),
        _(
            "告知当事人拟作出的行政处罚内容及事实、理由、依据，以及陈述、申辩、要求听证的权利；不因当事人"
            "陈述、申辩而给予更重的处罚。"
        ),
        "《行政处罚法》第四十四条、第四十五条",
        ("notice.statement_workdays", "hearing.request_workdays"),
    ),
    Step(
        Stage.HEARING.label,
        _("当事人要求听证的，由非本案调查人员主持，公开举行。"),
        "《行政处罚法》第六十三条、第六十四条",
        ("hearing.notice_workdays", "hearing.large_fine_organisation", "hearing.large_fine_citizen"),
        condition=_("拟作出较大数额罚款、吊销许可证件、责令停产停业、责令关闭等处罚，当事人要求听证的"),
    ),
    Step(
        _("法制审核"),
        _(
            "由法制审核人员对执法主体、事实证据、适用依据、程序、裁量等进行审核；未经法制审核或者审核未通过的，"
            "不得作出决定。"
        ),
        "《行政处罚法》第五十八条",
        ("review.workdays", "review.extension_workdays"),
        condition=_("属于重大执法决定法制审核目录清单所列情形的"),
        anchor="review-catalogue",
    ),
    Step(
        _("集体讨论"),
        _("由行政机关负责人集体讨论决定。"),
        "《行政处罚法》第五十七条第二款",
        condition=_("情节复杂或者重大违法行为给予行政处罚的"),
    ),
    Step(
        _("作出决定"),
        _("负责人审查后作出行政处罚、不予行政处罚或者移送司法机关的决定，制作行政处罚决定书。"),
        "《行政处罚法》第五十七条、第五十九条",
        ("decision.days", "decision.extension_days"),
    ),
    Step(
        _("送达"),
        _("决定书当场交付当事人；当事人不在场的，依照《民事诉讼法》的有关规定送达。"),
        "《行政处罚法》第六十一条",
        ("service.workdays",),
    ),
    Step(
        _("信息公开"),
        _("行政处罚决定在规定期限内向社会公开；决定被变更、撤销、确认违法或者确认无效的，及时撤回。"),
        "《行政处罚法》第四十八条；黑环发〔2019〕112号 三(一)3",
        ("publication.penalty_workdays", "publication.withdraw_days"),
    ),
    Step(
        _("执行"),
        _("当事人在期限内缴纳罚款；逾期不缴纳的，每日加处罚款，并可申请人民法院强制执行。"),
        "《行政处罚法》第六十七条、第七十二条；《行政强制法》第五十三条",
        ("payment.days", "late_fee.percent_per_day", "court_application.months"),
    ),
    Step(_("结案归档"), _("执行完毕后结案，行政执法全过程的文字和音像记录立卷归档。"), "《行政处罚法》第四十七条"),
]

SEIZURE = [
    Step(
        _("调查发现"),
        _("发现排放污染物造成或者可能造成严重污染等情形，需要查封、扣押造成污染物排放的设施、设备。"),
        "《环境保护法》第二十五条；《环境保护主管部门实施查封、扣押办法》第四条",
    ),
    Step(
        _("报批"),
        _(
            "实施前向行政机关负责人报告并经批准；重大、影响较大的，集体审查。情况紧急需要当场实施的，事后报告并"
            "补办批准手续，负责人认为不应当实施的，立即解除。"
        ),
        "《行政强制法》第十八条、第十九条；《环境保护主管部门实施查封、扣押办法》第十条、第十三条",
        ("seizure.emergency_report_hours",),
    ),
    Step(
        _("实施"),
        _(
            "两名以上执法人员出示执法证件，通知当事人到场，当场告知理由、依据以及当事人依法享有的权利、救济途径，"
            "听取陈述和申辩，制作现场笔录；当事人不到场的，邀请见证人到场签名。"
        ),
        "《行政强制法》第十八条；《环境保护主管部门实施查封、扣押办法》第十二条",
        ("officers.min",),
    ),
    Step(
        _("送达决定书和清单"),
        _("当场交付查封、扣押决定书和清单，清单一式二份，由当事人和行政机关分别保存；加贴封条或者张贴公告。"),
        "《行政强制法》第二十四条；《环境保护主管部门实施查封、扣押办法》第十四条",
    ),
    Step(
        _("期限与延长"),
        _(
            "查封、扣押的期限不得超过三十日；情况复杂的，经负责人批准可以延长，并书面告知当事人；"
            "检测、检验、鉴定的期间另行书面告知。"
        ),
        "《行政强制法》第二十五条",
        ("seizure.max_days", "seizure.extension_days"),
    ),
    Step(
        _("处理与解除"),
        _(
            "在期限内查清事实，依法作出处理决定；没有违法行为、与违法行为无关、已作出处理决定不再需要查封扣押"
            "或者期限届满的，及时作出解除决定并送达。"
        ),
        "《行政强制法》第二十七条、第二十八条；《环境保护主管部门实施查封、扣押办法》第十九条、第二十一条",
    ),
    Step(
        _("信息公开"),
        _("查封、扣押决定及延长、解除的情况依法向社会公开。"),
        "《环境保护主管部门实施查封、扣押办法》第七条；黑环发〔2019〕112号 三(一)3",
        ("publication.other_workdays",),
    ),
]

# The periods for challenging a decision, shown with the remedy channels.
REMEDIES = ("reconsideration.days", "litigation.months")

FLOWCHARTS = [
    ("penalty-procedure", _("行政处罚（一般程序）流程图"), PENALTY),
    ("seizure-procedure", _("行政强制（查封、扣押）流程图"), SEIZURE),
]


def limits(keys, agency) -> list[dict]:
    """The rules `keys` as they apply to `agency`: title, value in words and citation."""
    return [
        {"title": value.title, "amount": value.display, "citation": value.citation}
        for value in (rule(key, agency) for key in keys)
    ]


def flowcharts(agency) -> list[dict]:
    """Each procedure with its steps and the agency's current time limits."""
    return [
        {
            "anchor": anchor,
            "title": title,
            "steps": [{"step": step, "limits": limits(step.rules, agency)} for step in steps],
        }
        for anchor, title, steps in FLOWCHARTS
    ]
