"""The first draft of a report's narrative (总体情况说明), written from its figures; the head edits it before
approving. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _


def _yuan(value) -> str:
    amount = Decimal(value or 0)
    if amount >= 10_000:
        return _("%(amount)s万元") % {"amount": f"{amount / 10_000:,.2f}"}
    return _("%(amount)s元") % {"amount": f"{amount:,.2f}"}


def _percent(value) -> str:
    return "—" if value is None else f"{Decimal(value) * 100:.1f}%"


def draft_narrative(agency, year: int, figures: dict) -> str:
    f = figures.get
    return "\n\n".join(
        [
            _(
                "%(year)d年，%(agency)s（含所属分局）共开展现场检查%(inspections)s次，其中双随机抽查%(random)s次，"
                "发现涉嫌违法行为%(violations)s次。"
            )
            % {
                "year": year,
                "agency": agency.name,
                "inspections": f("inspection.onsite", 0),
                "random": f("inspection.random", 0),
                "violations": f("inspection.violation", 0),
            },
            _(
                "受理行政许可申请%(received)s件，准予许可%(granted)s件，不予许可%(refused)s件。作出行政处罚决定"
                "%(penalties)s件，罚没金额%(fines)s；适用简易程序当场处罚%(onsite)s件；不予行政处罚%(none)s件；"
                "移送司法机关或公安机关%(referrals)s件。实施查封%(seal)s件、扣押%(detain)s件，责令限制生产、停产整治"
                "%(production)s件。"
            )
            % {
                "received": f("licence.received", 0),
                "granted": f("licence.granted", 0),
                "refused": f("licence.refused", 0),
                "penalties": f("penalty.decided", 0),
                "fines": _yuan(Decimal(f("penalty.fine", 0)) + Decimal(f("penalty.confiscation", 0))),
                "onsite": f("penalty.onsite", 0),
                "none": f("penalty.none", 0),
                "referrals": f("penalty.referral", 0),
                "seal": f("coercion.seal", 0),
                "detain": f("coercion.detain", 0),
                "production": f("coercion.production", 0),
            },
            _(
                "举行听证%(hearings)s次；重大执法决定法制审核办结%(reviews)s件。被申请行政复议%(reconsideration)s件、"
                "被提起行政诉讼%(litigation)s件，被纠错率%(correction)s。应公示的执法决定按期公示率%(on_time)s。"
            )
            % {
                "hearings": f("hearing.penalty", 0) + f("hearing.licence", 0),
                "reviews": f("review.closed", 0),
                "reconsideration": f("remedy.reconsideration", 0),
                "litigation": f("remedy.litigation", 0),
                "correction": _percent(f("remedy.correction_rate")),
                "on_time": _percent(f("publication.on_time_rate")),
            },
            _("（以上为系统根据统计口径生成的初稿，请补充执法工作的主要做法、存在问题和下一步打算。）"),
        ]
    )
