from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sanxiang.agencies.models import Agency
from sanxiang.agencies.services import rule_set
from sanxiang.core.models import Rule
from sanxiang.core.rules import rule


class Command(BaseCommand):
    help = "法定规则（期限、数额、上限）及其依据 / Rules with legal force and their citations"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("list", help="列出对某机关生效的规则 / list the rules in force for an agency")
        show.add_argument("--agency", help="机关代码 / agency code (default: national)")
        setter = actions.add_parser("set", help="设置本机关的规则值 / set an agency's own value")
        setter.add_argument("key")
        setter.add_argument("value")
        setter.add_argument("--agency", required=True)
        setter.add_argument("--citation", required=True, help="本地规定及条款 / the local rule")

    def handle(self, *args, action, **options):
        agency = None
        if options.get("agency"):
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"未知机关代码 / unknown agency: {options['agency']}")
        if action == "list":
            for key in Rule.objects.filter(agency_code="").values_list("key", flat=True):
                value = rule(key, agency)
                source = value.agency_code or "national"
                self.stdout.write(f"{key}\t{value.value.normalize():f} {value.unit}\t{source}\t{value.citation}")
            return
        try:
            entry = rule_set(
                actor="cli", key=options["key"], agency=agency, value=options["value"], citation=options["citation"]
            )
        except (ValidationError, ArithmeticError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{entry.key} = {entry.value.normalize():f} for {agency.code}")
