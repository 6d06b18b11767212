from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sanxiang.agencies.models import Agency
from sanxiang.cases.discretion import factors_for
from sanxiang.cases.models import Violation
from sanxiang.cases.services import discretion_factor_add
from sanxiang.powers.models import Power
from sanxiang.review.catalogue import catalogue_for
from sanxiang.review.models import ReviewRule
from sanxiang.review.services import review_rule_add, review_rule_remove


class Command(BaseCommand):
    help = "法制审核目录清单与裁量因素 / The legal-review catalogue and the discretion factors of an agency"

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="机关代码 / agency code")
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("review", help="列出法制审核目录 / list the review catalogue in force")
        add = actions.add_parser("review-add", help="增加目录事项 / add a catalogue line")
        add.add_argument("kind", choices=ReviewRule.Kind.values)
        add.add_argument("--value", default="")
        add.add_argument("--description", required=True)
        add.add_argument("--citation", required=True)
        add.add_argument("--power", help="挂接的本机关执法事项编码 / code of the agency's power the line hangs on")
        remove = actions.add_parser("review-remove", help="删除本机关目录事项 / remove a line")
        remove.add_argument("rule_id", type=int)
        factors = actions.add_parser("factors", help="列出某违法行为的裁量因素 / list the factors for a violation")
        factors.add_argument("violation", help="违法行为编号，如 DQ-99 / violation code")
        factor = actions.add_parser("factor-add", help="增加裁量因素 / add a factor: --level 标签=权重 ...")
        factor.add_argument("name")
        factor.add_argument("--level", action="append", required=True)
        factor.add_argument("--citation", required=True)
        factor.add_argument("--violation", help="只适用于该违法行为 / only for this violation")

    def handle(self, *args, agency, action, **options):
        agency = Agency.objects.filter(code=agency).first()
        if agency is None:
            raise CommandError("未知机关代码 / unknown agency")
        try:
            self._run(agency, action, options)
        except (ValidationError, ValueError, Violation.DoesNotExist) as error:
            raise CommandError(str(error)) from None

    def _run(self, agency, action, options):
        if action == "review":
            for line in catalogue_for(agency):
                self.stdout.write(f"{line.pk}\t{line.agency_code}\t{line.kind}\t{line.value}\t{line.description}")
        elif action == "review-add":
            power = Power.objects.filter(agency=agency, code=options["power"]).first() if options["power"] else None
            if options["power"] and power is None:
                raise CommandError("本机关没有该执法事项 / the agency has no power with that code")
            review_rule_add(
                actor="cli",
                agency=agency,
                kind=options["kind"],
                value=options["value"],
                description=options["description"],
                citation=options["citation"],
                power=power,
            )
        elif action == "review-remove":
            review_rule_remove(actor="cli", agency=agency, rule_id=options["rule_id"])
        elif action == "factors":
            for factor in factors_for(Violation.objects.get(code=options["violation"]), agency):
                levels = "; ".join(f"{level['label']}={level['weight']}" for level in factor.levels)
                self.stdout.write(f"{factor.pk}\t{factor.agency_code or 'default'}\t{factor.name}\t{levels}")
        else:
            levels = [(text.rsplit("=", 1)[0], int(text.rsplit("=", 1)[1])) for text in options["level"]]
            violation = Violation.objects.get(code=options["violation"]) if options["violation"] else None
            discretion_factor_add(
                actor="cli",
                agency=agency,
                name=options["name"],
                levels=levels,
                citation=options["citation"],
                violation=violation,
            )
