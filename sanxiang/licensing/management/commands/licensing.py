import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from sanxiang.licensing import services


class Command(BaseCommand):
    help = "行政许可：运行期限时钟 / Licensing: run the clocks that act by themselves"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        clocks = actions.add_parser(
            "clocks",
            help="逾期视为受理、视为准予延续、有效期届满（每晚自动执行）/ deemed acceptances, deemed renewals, expiries",
        )
        clocks.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            help="按 YYYY-MM-DD 计算（默认今天）/ as on this day (default: today)",
        )

    def handle(self, *args, action, on=None, **options):
        # the same order as the nightly task: a renewal deemed granted keeps its licence from expiring
        day = on or timezone.localdate()
        accepted = services.applications_deem_accepted(on=day)
        renewed = services.applications_deem_renewed(on=day)
        expired = services.licences_expire(on=day)
        self.stdout.write(f"{day}：视为受理 {accepted} 件，视为准予延续 {renewed} 件，有效期届满 {expired} 件")
        self.stdout.write(f"deemed accepted: {accepted}, deemed renewed: {renewed}, expired: {expired}")
