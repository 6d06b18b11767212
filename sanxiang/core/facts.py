"""How the facts of a ledger entry or a security event read on a page: each value in words ("是", "否", "—", a
code under its Chinese name, a list joined), the common keys under their Chinese names, a change as "old → new",
never a Python repr.

Apps register the words of their codes in FACT_WORDS at start-up ("stage=clue" → "线索"), from their models'
choices, so a page of another app reads them without importing the app that wrote the entry. A code whose word
depends on the kind of subject ("status=published": 已公示 for a publication, 已发布 for a pre-disclosure) is
registered under its subject type.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core import hooks
from sanxiang.core.references import Named

FACT_WORDS = hooks.registry(
    "core.fact_words",
    doc='"key=code" ("stage=clue"), or "subject:key=code" for one kind of subject ("review.review:status=open"), '
    "→ the word a page shows for that code under that key",
)

_UTC_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

# The keys entries carry most often; a key not named here is shown as written.
KEY_LABELS = {
    "stage": _("阶段"),
    "cap_reason": _("超频次检查理由"),
    "over_cap": _("超出年度检查频次上限的事项"),
    "cap_exempt": _("不受频次上限限制的依据"),
    "planned_from": _("检查期间自"),
    "planned_to": _("检查期间至"),
    "task": _("检查任务"),
    "joint": _("综合查一次"),
    "with": _("合并的检查"),
    "ground": _("紧急事由"),
    "emergency": _("紧急事由"),
    "note": _("说明"),
    "certificates": _("执法证"),
    "reporter": _("举报人"),
    "previous_stage": _("原阶段"),
    "status": _("状态"),
    "previous_status": _("原状态"),
    "version": _("版本"),
    "number": _("编号"),
    "public": _("公开"),
    "kinds": _("处罚种类"),
    "kind": _("种类"),
    "fine": _("罚款"),
    "confiscation": _("没收金额"),
    "outcome": _("结果"),
    "served_on": _("送达日期"),
    "decision_number": _("决定书文号"),
    "investigators": _("承办人"),
    "participants": _("参加人"),
    "officers": _("执法人员"),
    "holder": _("持证人"),
    "reviewer": _("审核人员"),
    "approved": _("同意"),
    "late": _("补录或逾期"),
    "reason": _("理由"),
    "roles": _("角色"),
    "sha256": _("SHA-256"),
    "method": _("方式"),
    "party": _("当事人"),
    "source": _("来源"),
    "name": _("名称"),
    "uscc": _("统一社会信用代码"),
    "type": _("文书"),
    "act": _("执法行为"),
    "amount": _("金额"),
    "due_on": _("期限至"),
    "paid_on": _("缴纳日期"),
    "published_on": _("公示日期"),
    "expires_on": _("有效期至"),
    "violation": _("违法行为"),
    "case": _("案件"),
    "application": _("许可申请"),
    "document": _("文书编号"),
    "court": _("人民法院"),
    "reconsideration_body": _("复议机关"),
    "level": _("层级"),
    "parent": _("上级机关"),
    "code": _("代码"),
    "act_division": _("违法行为发生地"),
    "hearing_offered": _("告知听证权利"),
    "review_required": _("须法制审核"),
    "on_time": _("按期"),
    "size": _("大小（字节）"),
    "security_key": _("安全密钥编号"),
    "approved_by": _("批准的验证设备"),
    "industry": _("行业"),
    "key_polluter": _("重点排污单位"),
    "is_minor": _("未成年人"),
    "corrected": _("更正事项"),
    "basis": _("处罚依据"),
    "penalty_text": _("法定处罚"),
    "fine_basis": _("罚款方式"),
    "fine_min": _("罚款下限（元）"),
    "fine_max": _("罚款上限（元）"),
    "multiple_min": _("倍数下限"),
    "multiple_max": _("倍数上限"),
    "multiple_of": _("计算基数"),
    "start_percent": _("裁量起点（%）"),
    "levels": _("情节与权重"),
    "citation": _("依据"),
    "unit": _("承办机构"),
    "withdrawn_on": _("取消日期"),
    "division": _("所在区划代码"),
    "permit_number": _("排污许可证编号"),
    "tier": _("分级分类"),
    "file": _("文件"),
    "created": _("新增"),
    "updated": _("更新"),
    "power": _("执法事项"),
    "violations": _("违法行为"),
    "inspections.inspectionitem:subject": _("检查对象"),
    "random": _("纳入双随机抽查"),
    "draw_percent": _("年度抽查比例（%）"),
    "yearly_cap": _("每年检查次数上限"),
    "adopted_on": _("印发日期"),
    # The same key under another name for one kind of subject ("subject type:key").
    "powers.power:basis": _("设定和实施依据"),
    "powers.power:kind": _("事项类型"),
    "powers.power:published_on": _("公布日期"),
    "inspections.inspectionitem:basis": _("检查依据"),
    "inspections.inspectionitem:published_on": _("公布日期"),
    "inspections.inspectionitem:method": _("检查方式"),
    "plan": _("抽查计划"),
    "plan_digest": _("计划摘要"),
    "population": _("名录库企业数"),
    "percents": _("抽查比例"),
    "items": _("检查事项"),
    "divisions": _("区划范围"),
    "industries": _("行业范围"),
    "period_start": _("抽查开始日期"),
    "period_end": _("抽查结束日期"),
    "algorithm": _("算法"),
    "checkpoint_size": _("种子检查点条目数"),
    "seed": _("随机种子"),
    "targets": _("抽查对象数"),
    "shortfalls": _("执法人员不足两名的对象数"),
    "result_digest": _("抽取结果摘要"),
    "rank": _("序号"),
    "inspection": _("检查"),
    "result": _("抽查结果"),
    "publish_due_on": _("公示期限"),
    "published": _("本次公示数"),
    "counts": _("公示统计"),
    "not_inspected": _("未检查的对象数"),
    "inspected": _("已检查的对象数"),
    # licensing (行政许可): the application's and the licence's facts
    "channel": _("申请方式"),
    "materials": _("材料"),
    "accept_due_on": _("受理期限"),
    "decision_due_on": _("决定期限"),
    "previous_due_on": _("原决定期限"),
    "service_due_on": _("送达期限"),
    "hearing_due_on": _("组织听证期限"),
    "deemed": _("视为受理"),
    "expected_days": _("预计所需工作日"),
    "days": _("扣除的工作日"),
    "held_on": _("日期"),
    "licence": _("许可编号"),
    "valid_to": _("有效期至"),
    "reason_given": _("已说明理由"),
    "licensing.application:items": _("需补正的材料"),
    "licensing.application:type": _("许可事项"),
    "licensing.application:kind": _("种类"),
    "licensing.application:ground": _("法定情形"),
    "licensing.licence:ground": _("法定情形"),
    "licensing.licencetype:materials": _("申请材料"),
    "licensing.application:officers": _("审查人员人数"),
    "licensing.licencetype:basis": _("设定依据"),
    "licensing.licencetype:category": _("许可类别"),
    "licensing.licencetype:certificate_name": _("许可证书名称"),
    "licensing.licencetype:conditions": _("许可条件"),
    "licensing.licencetype:decision_citation": _("办理时限依据"),
    "licensing.licencetype:decision_days": _("法定办理时限"),
    "licensing.licencetype:decision_unit": _("时限单位"),
    "licensing.licencetype:expert_review": _("需要专家评审、检验检测"),
    "licensing.licencetype:extendable": _("可延长十个工作日"),
    "licensing.licencetype:fee": _("收费"),
    "licensing.licencetype:hearing": _("听证"),
    "licensing.licencetype:online": _("可网上申请"),
    "licensing.licencetype:promised_days": _("承诺办理时限（工作日）"),
    "licensing.licencetype:renewable": _("可以延续"),
    "licensing.licencetype:renewal_days_before": _("延续申请提前天数"),
    "licensing.licencetype:site_check": _("需要现场核查"),
    "licensing.licencetype:validity_years": _("有效期（年）"),
    "licensing.licencetype:window": _("办理地点"),
    # legal review (法制审核) and publicity: the facts of their entries
    "round": _("轮次"),
    "prechecks": _("自动预审"),
    "review.review:pass": _("通过"),
    "review.review:problem": _("有问题"),
    "review.review:unknown": _("无法判断"),
    "problems": _("存在问题的事项"),
    "collective": _("负责人集体讨论"),
    "review.review:decision": _("协调结果"),
    "masks": _("遮盖处数"),
    "version_number": _("版本"),
    "changed_on": _("决定被变更、撤销之日"),
    "withdraw_due_on": _("应撤回日期"),
    # cases: the procedure's steps, measures, execution and remedies
    "origin": _("原案"),
    "derived": _("衍生案件"),
    "departs": _("偏离裁量基准"),
    "passed": _("审核通过"),
    "review": _("法制审核"),
    "preservation": _("先行登记保存"),
    "decide_by": _("处理决定期限"),
    "decision": _("处理决定"),
    "previous": _("原值"),
    "from": _("自"),
    "to": _("至"),
    "extension_days": _("延长天数"),
    "received_on": _("收到日期"),
    "requested_on": _("申请日期"),
    "waived_on": _("放弃日期"),
    "scope": _("范围"),
    "presiding": _("主持人"),
    "at": _("时间"),
    "attended": _("当事人到场"),
    "seizure": _("查封、扣押"),
    "extended_until": _("延长至"),
    "released_on": _("解除日期"),
    "order": _("责令改正决定"),
    "months": _("月数"),
    "government": _("批准的人民政府"),
    "approved_on": _("批准日期"),
    "until": _("延期至"),
    "surcharge": _("缴纳加处罚款"),
    "late_fee": _("加处罚款"),
    "surcharge_owed": _("尚欠加处罚款"),
    "applied_on": _("申请日期"),
    "archived_on": _("归档日期"),
    "notice_on": _("公告送达发出公告日期"),
    "challenge": _("复议、诉讼"),
    "filed_on": _("提出日期"),
    "decided_on": _("决定日期"),
    "signature": _("当事人签名"),
    "violation_found": _("发现违法行为"),
    "approval": _("检查审批"),
    "filing_due": _("报备案期限"),
    "sound": _("确认无误"),
    "cases.onsitepenalty:filed_on": _("报备案日期"),
    # evidence, documents and signatures
    "for": _("所属记录"),
    "covert": _("隐蔽取证"),
    "capture_sha256": _("原始文件 SHA-256"),
    "role": _("签名人身份"),
    "strokes_sha256": _("笔迹 SHA-256"),
    "version_sha256": _("所签文书版本 SHA-256"),
    "supersedes": _("所更正文书的 SHA-256"),
    "signed": _("已签名版本"),
    # agencies: details, staff, certificates, training, second factors, the calendar and rule values
    "fields": _("变更事项"),
    "payment_channel": _("缴款渠道"),
    "domain": _("执法领域"),
    "device": _("验证设备"),
    "devices_removed": _("移除的验证设备"),
    "security_keys_removed": _("移除的安全密钥"),
    "enrolment": _("绑定凭证"),
    "expires_at": _("失效时间"),
    "due": _("原因"),
    "officer": _("执法人员"),
    "course": _("培训课程"),
    "started_on": _("开始日期"),
    "ended_on": _("结束日期"),
    "hours": _("学时"),
    "exam_score": _("考试成绩"),
    "exam_result": _("考试结果"),
    "before": _("更正前"),
    "after": _("更正后"),
    "replaces": _("更正的记录"),
    "date": _("日期"),
    "year": _("年度"),
    "key": _("规则"),
    "value": _("值"),
    "user": _("用户"),
    # inspections, publicity, supervision, reports, the law library and the exchange
    "lapsed": _("过期未检查的对象数"),
    "reference": _("来文编号"),
    "category": _("类别"),
    "stars": _("评分（星）"),
    "document_number": _("文号"),
    "title": _("标题"),
    "issuing_agency": _("制发机关"),
    "records": _("涉及的执法记录"),
    "returns": _("退回次数"),
    "replaced": _("替换待审核的文本"),
    "by_data_sha256": _("统计数据 SHA-256"),
    "articles": _("条文数"),
    "url": _("地址"),
    "first": _("首次"),
    "since": _("起始序号"),
    "next": _("下一序号"),
    "checkpoint_root": _("检查点根哈希"),
    "exchange.mirrorsource:key": _("验证公钥"),
    "exchange.mirrorsource:records": _("记录数"),
    "hour": _("时段"),
    "packets": _("报文数"),
    "day": _("日期"),
    "point": _("监测点位"),
    "pollutant": _("污染物"),
    "averaging": _("均值周期"),
    "average": _("均值"),
    "limit": _("排放限值"),
    "limit_value": _("限值"),
    "limit_unit": _("限值单位"),
    "limit_source": _("限值依据"),
    "valid_count": _("有效数据个数"),
    "excluded": _("剔除的数据"),
    "excluded_minutes": _("剔除的分钟数据"),
    "hours_checked": _("核查小时数"),
    "hours_valid": _("有效小时数"),
    "findings": _("发现超标"),
    "withheld": _("未作认定（设备未审核等）"),
    "item": _("证据"),
    "pending": _("待封存的报文分段"),
    "outlet_code": _("排放口编号"),
    "medium": _("类别"),
    "mn": _("设备唯一标识（MN）"),
    "installed_on": _("安装日期"),
    "passed_on": _("审核通过日期"),
    "retired_on": _("停用日期"),
    "valid_from": _("起始日期"),
    "starts_at": _("开始时间"),
    "ends_at": _("结束时间"),
    "mark": _("数据标记"),
    "monitoring.point:unit": _("单位"),
    "monitoring.point:value": _("限值"),
}
CHANGE_PREFIX = "previous_"
# Never shown: the digest is for machines (the entry's page shows it in full).
LEFT_OUT = frozenset({"digest"})

FACT_WORDS.register(
    {
        "method=password": _("密码"),
        "method=token": _("令牌"),
        "method=totp": _("动态验证码"),
        "method=security_key": _("安全密钥"),
    }
)


def words_of(choices, *keys: str, subject: str = "") -> dict:
    """FACT_WORDS entries for a model's `choices` (a TextChoices class or (code, label) pairs) under each of `keys`,
    for entries about `subject` only when it is given."""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    prefix = f"{subject}:" if subject else ""
    return {f"{prefix}{key}={code}": label for key in keys for code, label in pairs}


def in_words(value, key: str = "", subject: str = "") -> str:
    if isinstance(value, Named):  # already in words, and keeps the address of its page
        return value
    if isinstance(value, str):
        # a reference "code:id" ("publication_late:12") reads as the code's word and the id
        code, _colon, rest = value.partition(":")
        for name in (f"{subject}:{key}={value}", f"{key}={value}", f"{subject}:{key}={code}", f"{key}={code}"):
            if name in FACT_WORDS:
                word = str(FACT_WORDS[name])
                return word if name.endswith(f"={value}") else f"{word} {rest}"
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and _UTC_MOMENT.match(value):
        # a moment the ledger keeps in UTC (ledger.canonical.json_value) reads in local time, as every page shows it
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    if isinstance(value, list | tuple):
        return "、".join(in_words(item, key, subject) for item in value) or "—"
    if isinstance(value, dict):
        return "；".join(
            f"{_inner_label(inner, key, subject)}：{in_words(item, inner, subject)}" for inner, item in value.items()
        )
    return str(value)


def _inner_label(inner: str, key: str, subject: str) -> str:
    """The name of a key inside a fact's dict: its own label, or, for a code ("counts": {"case_opened": 3}), the word
    of that code under the outer key."""
    name = label(inner, subject)
    return in_words(inner, key, subject) if name == inner else name


def label(key: str, subject: str = "") -> str:
    """The name of a key, under the subject type's own name for it where the same key reads differently ("basis" is
    a violation's 处罚依据 but a power's 设定和实施依据)."""
    return str(KEY_LABELS.get(f"{subject}:{key}") or KEY_LABELS.get(key, key))


def facts(data, subject: str = "") -> list[tuple[str, str]]:
    """(label, value in words) for each fact of `data` (an entry about `subject`, a type such as "cases.case", when
    known); a key and its `previous_` key read as one change, "old → new" (a first value reads alone), the digest
    left out."""
    data = data or {}
    lines = []
    for key, value in data.items():
        if key in LEFT_OUT or (key.startswith(CHANGE_PREFIX) and key[len(CHANGE_PREFIX) :] in data):
            continue
        text = in_words(value, key, subject)
        previous = CHANGE_PREFIX + key
        if data.get(previous) not in (None, "", value):  # a move that keeps it (a transfer keeps the stage) reads once
            text = f"{in_words(data[previous], key, subject)} → {text}"
        lines.append((label(key, subject), text))
    return lines
