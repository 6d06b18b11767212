"""The legal-review gate a licence decision passes through (licensing.hooks.LicenceReviewGate), provided by this app
at start-up: a line of the agency's catalogue of major decisions naming the licence type's power (kind `licence`)
makes the decision one that waits for the review (黑环发〔2019〕112号 三(三)2)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sanxiang.review.catalogue import catalogue_for
from sanxiang.review.models import ReviewRule


class LicenceGate:
    def reasons(self, application) -> list[dict]:
        power = application.licence_type.power_id
        return [
            {"kind": rule.kind, "description": rule.description, "citation": rule.citation}
            for rule in catalogue_for(application.agency)
            if rule.kind == ReviewRule.Kind.LICENCE and power is not None and rule.power_id == power
        ]

    def refusal(self, application) -> str:
        if not self.reasons(application):
            return ""
        return _("该许可决定属于本机关重大执法决定法制审核目录的范围，未经法制审核同意不得作出决定")

    def panel(self, user, application) -> dict:
        return {"template": "review/_licence_panel.html", "reasons": self.reasons(application)}


GATE = LicenceGate()
