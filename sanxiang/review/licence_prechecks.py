"""Automatic pre-checks of a major licence decision, one per point of the nine-point review (黑环发〔2019〕112号
三(三)3), read from the application as it stands. As for a case (prechecks.py) each gives pass / problem /
cannot-tell with its reasons; they advise, the reviewer decides every point.

The points read the rules of 《行政许可法》 the decision itself must meet: the period (第四十二条), the site check by
two officers where the type requires one (第三十四条), the hearing right told where the type's hearing rule is
第四十七条, and officers holding a valid certificate (持证上岗).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from sanxiang.agencies.models import Certificate, EnforcementDomain
from sanxiang.core.rules import rule
from sanxiang.core.wording import last_day_words
from sanxiang.laws.models import InForce
from sanxiang.laws.selectors import resolve
from sanxiang.licensing.models import LAW, Application, Examination, HearingRule, Pause
from sanxiang.licensing.services import missing_materials
from sanxiang.powers.models import PowerKind
from sanxiang.powers.selectors import powers_in_force
from sanxiang.review.materials import documents_of
from sanxiang.review.prechecks import document_flaws, result, valid_then

ART34, ART42, ART46, ART47 = (LAW + f"第{n}条" for n in ("三十四", "四十二", "四十六", "四十七"))


def subject(application: Application) -> dict:
    """执法主体: an active agency deciding under a licensing power it holds today (权责清单)."""
    if not application.agency.is_active:
        return result([_("作出决定的机关已停用")], [])
    power = application.licence_type.power
    held = powers_in_force(application.agency, kind=PowerKind.LICENSING)
    if power is None or not held.filter(pk=power.pk).exists():
        return result([_("该许可事项未挂接本机关现行的行政许可事项（权责清单）")], [])
    words = _("%(agency)s 依权责清单 %(code)s %(name)s 实施")
    return result([], [], ok=words % {"agency": application.agency.name, "code": power.code, "name": power.name})


def officers(application: Application, today: dt.date) -> dict:
    """执法人员: officers who examined the application, each holding a valid certificate today, and those who checked
    the site certified on that day."""
    people = list(application.officers.all())
    if not people:
        return result([_("尚无审查人员")], [])
    findings = []
    for person in people:
        held = Certificate.objects.filter(holder=person, domain=EnforcementDomain.ECOLOGY)
        if not any(certificate.is_valid_on(today) for certificate in held):
            findings.append(_("%(name)s 今天没有有效的执法证") % {"name": person.full_name})
    for check in application.examinations.filter(kind=Examination.Kind.SITE).prefetch_related("officers"):
        for person in check.officers.all():
            held = Certificate.objects.filter(holder=person, domain=EnforcementDomain.ECOLOGY)
            if not any(valid_then(certificate, check.held_on) for certificate in held):
                findings.append(
                    _("%(name)s 在 %(day)s 现场核查时没有有效的执法证")
                    % {"name": person.full_name, "day": check.held_on}
                )
    return result(
        findings, [], ok=_("审查人员 %(names)s 均持有效执法证") % {"names": "、".join(p.full_name for p in people)}
    )


def jurisdiction(application: Application) -> dict:
    """管辖权限: the licence type is one this agency publishes and decides (《行政许可法》第二十二条)."""
    kind = application.licence_type
    if kind.agency_id != application.agency_id:
        return result([_("许可事项“%(name)s”不是本机关公布的许可事项") % {"name": kind.name}], [])
    if kind.withdrawn_on is not None:
        return result(
            [],
            [
                _("该事项已于 %(day)s 停止办理；本申请在此前受理，按受理时的规定办理，请核对")
                % {"day": kind.withdrawn_on}
            ],
        )
    return result([], [], ok=_("“%(name)s”为本机关公布的许可事项（%(code)s）") % {"name": kind.name, "code": kind.code})


def procedure(application: Application, today: dt.date) -> dict:
    """执法程序: accepted, within the period to decide (第四十二条), and the hearing right told where the type's rule
    is 第四十七条; a hearing for the public interest (第四十六条) is the agency's call."""
    findings, unknown = [], []
    kind = application.licence_type
    due = application.decision_due_on
    if due is not None and today > due:
        findings.append(_("决定期限已于 %(date)s 届满（%(art)s）") % {"date": last_day_words(due), "art": ART42})
    elif application.due_provisional:
        unknown.append(_("决定期限至 %(date)s，为暂定（节假日安排未确认）") % {"date": last_day_words(due)})
    heard = application.pauses.filter(kind=Pause.Kind.HEARING)
    if kind.hearing == HearingRule.INTERESTS and not heard.filter(ended_on__isnull=False).exists():
        findings.append(
            _("本事项直接涉及申请人与他人之间重大利益关系，尚未告知申请人、利害关系人听证权利（%(art)s）")
            % {"art": ART47}
        )
    if kind.hearing == HearingRule.PUBLIC_INTEREST and not heard.exists():
        unknown.append(_("涉及公共利益的，由本机关决定是否听证（%(art)s），请核对") % {"art": ART46})
    if kind.expert_review and not application.pauses.exclude(kind=Pause.Kind.HEARING).exists():
        unknown.append(_("本事项需要专家评审、检验检测，尚无告知扣除期间的记录，请核对"))
    return result(
        findings,
        unknown,
        ok=_("受理、审查和告知环节齐全，决定期限至 %(date)s") % {"date": last_day_words(due) if due else "—"},
    )


def facts(application: Application) -> dict:
    """事实认定: the examination recorded, with a site check by at least two officers where the type requires one
    (第三十四条第三款)."""
    examinations = list(application.examinations.prefetch_related("officers"))
    if not examinations:
        return result([_("尚无审查记录")], [])
    sites = [row for row in examinations if row.kind == Examination.Kind.SITE]
    findings = []
    minimum = rule("officers.min", application.agency).number
    if application.licence_type.site_check and not sites:
        findings.append(_("本事项需要现场核查，尚无核查记录（%(art)s）") % {"art": ART34})
    if any(len(row.officers.all()) < minimum for row in sites):
        findings.append(_("现场核查的人员少于%(n)d人（%(art)s）") % {"n": minimum, "art": ART34})
    return result(
        findings, [], ok=_("审查记录 %(n)d 份，其中现场核查 %(m)d 次") % {"n": len(examinations), "m": len(sites)}
    )


def law(application: Application, today: dt.date) -> dict:
    """法律适用: the type's 设定依据 stated, and each law it cites in force today."""
    basis = application.licence_type.basis.strip()
    if not basis:
        return result([_("许可事项未载明设定依据")], [])
    unknown = [
        _("设定依据所引%(version)s今天%(status)s，请核对适用的规定")
        % {"version": found.instrument, "status": InForce(found.status).label}
        for found in resolve(basis, on=today)
        if not found.in_force
    ]
    return result([], unknown, ok=_("设定依据：%(basis)s") % {"basis": basis})


def evidence(application: Application) -> dict:
    """证据使用: every material the type requires handed in (第三十二条)."""
    gaps = missing_materials(application)
    if gaps:
        return result([_("缺少申请材料：%(names)s") % {"names": "、".join(m.name for m in gaps)}], [])
    return result([], [], ok=_("申请材料齐全（%(n)d 项）") % {"n": len(application.materials)})


def documents(application: Application) -> dict:
    """执法文书: the acceptance notice (unless the application counts as accepted by law) and the notice of each
    period not counted issued, numbered, their files intact."""
    made = list(documents_of(application))
    kinds = {document.doc_type for document in made}
    findings = []
    if not application.deemed_accepted and "licence_acceptance" not in kinds:
        findings.append(_("缺少行政许可受理通知书"))
    if application.pauses.exists() and not kinds & {"licence_hearing_notice", "licence_pause_notice"}:
        findings.append(_("缺少听证告知书或期限扣除告知书"))
    flawed, links = document_flaws(made)
    return result(findings + flawed, [], links, ok=_("已制作的文书均已编号，文件完整"))


def discretion(application: Application) -> dict:
    """自由裁量权运用: a licence turns on its conditions, not on an amount; the reviewer weighs them."""
    conditions = application.licence_type.conditions.strip()
    if not conditions:
        return result([], [_("本事项未载明许可条件，请核对申请是否符合法定条件")])
    return result([], [], ok=_("不涉及罚款裁量；许可条件：%(conditions)s") % {"conditions": conditions})


def run_prechecks(application: Application, today: dt.date) -> dict:
    return {
        "subject": subject(application),
        "officers": officers(application, today),
        "jurisdiction": jurisdiction(application),
        "procedure": procedure(application, today),
        "facts": facts(application),
        "law": law(application, today),
        "evidence": evidence(application),
        "documents": documents(application),
        "discretion": discretion(application),
    }
