"""The sentences the law has a decision carry, in its agency's terms: where and within what period to apply for
reconsideration or bring a suit (《行政处罚法》第五十九条第五项; 《行政强制法》第二十四条第二款第五项) and how
and by when a fine is paid, with the warning of the additional fine (第六十七条、第七十二条、第七十三条).

The routes and the payment channel are what the agency entered (agencies.Agency); the periods are the rules'
(`reconsideration.days`, `litigation.months`, `payment.days`, `late_fee.percent_per_day`). The periods run from the
day the party receives the decision, which is not known when it is written: the document keeps the statute's wording,
and the case page shows the computed last day once the decision is served. An agency that has entered no route or
channel gets empty fields, which document_issue refuses by name.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.core.rules import rule


def remedy_fields(agency: Agency) -> dict:
    """复议机关, court, and the sentence naming both routes with their periods (the `rights_text` of a decision)."""
    body, court = agency.reconsideration_body, agency.court
    text = ""
    if body and court:
        text = _(
            "如不服本决定，可以自收到本决定书之日起%(days)d日内向%(body)s申请行政复议，也可以自收到本决定书之日起"
            "%(months)d个月内向%(court)s提起行政诉讼。"
        ) % {
            "days": rule("reconsideration.days", agency).number,
            "body": body,
            "months": rule("litigation.months", agency).number,
            "court": court,
        }
    return {"reconsideration_body": body, "court": court, "rights_text": text}


def payment_fields(agency: Agency) -> dict:
    """How and by when a fine is paid (罚缴分离), with the additional fine for paying late (the `payment_text`)."""
    channel = agency.payment_channel
    text = _(
        "罚款自收到本决定书之日起%(days)d日内缴纳，缴款途径：%(channel)s。逾期不缴纳罚款的，每日按罚款数额的"
        "%(percent)s%%加处罚款，加处罚款的数额不超过罚款的数额。申请行政复议或者提起行政诉讼的，本决定不停止执行，"
        "法律另有规定的除外。"
    ) % {
        "days": rule("payment.days", agency).number,
        "channel": channel,
        "percent": f"{rule('late_fee.percent_per_day', agency).value.normalize():f}",
    }
    return {"payment_channel": channel, "payment_text": text}
