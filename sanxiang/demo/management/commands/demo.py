from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sanxiang.cases.services import case_refresh_deadlines
from sanxiang.demo.agencies import DEMO_PASSWORD, DEMO_TOTP_SEED, STAFF, demo_code, load_agencies, load_staff
from sanxiang.demo.approvals import load_approvals
from sanxiang.demo.attestation import load_attestation
from sanxiang.demo.cases import load_cases
from sanxiang.demo.catalogues import load_catalogues
from sanxiang.demo.directory import load_directory
from sanxiang.demo.disclosures import load_disclosures
from sanxiang.demo.draws import load_draws
from sanxiang.demo.monitoring import load_monitoring
from sanxiang.demo.supervision import load_supervision
from sanxiang.demo.tasks import load_tasks
from sanxiang.demo.training import load_training
from sanxiang.demo.year import SCALES, load_year
from sanxiang.documents.services import pdfs_on_request
from sanxiang.ledger.services import checkpoint_create
from sanxiang.web.services import notifications_send_due


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）/ Load the demo data (safe to run again)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--code",
            action="store_true",
            help="只打印演示账号当前的动态验证码 / only print the demo accounts' current 6-digit login code",
        )
        parser.add_argument(
            "--year-scale",
            choices=sorted(SCALES),
            default=settings.DEMO_YEAR_SCALE,
            help="生成全省一年数据的规模 / size of the generated province year (full, small, none)",
        )

    def handle(self, *args, **options):
        if options["code"]:
            self.stdout.write(demo_code())
            return
        today = timezone.localdate()
        # The two thousand documents of the year get their PDF when a page asks for it (documents.services): queued
        # at issue, they would keep the worker in LibreOffice for an hour after `make demo` starts serving.
        with pdfs_on_request():
            cases, year = self.load(today, options["year_scale"])
        checkpoint = checkpoint_create()
        attested = load_attestation()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
        for code, counts in year.items():
            self.stdout.write(f"  {code}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
        self.stdout.write(f"案件 / cases: {cases} new; 账本 / ledger: {checkpoint.size} entries, checkpoint signed")
        self.stdout.write(f"见证方 / witnesses: {attested['witnesses']}; 可信时间 / timestamp: {attested['timestamp']}")
        self.stdout.write(f"演示账号密码均为 / every demo password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"动态验证码种子 / TOTP seed (base32): {DEMO_TOTP_SEED}; 当前验证码 / current code: `sanxiang demo --code`"
        )
        for username, full_name, _code, _roles, title, _qualified in STAFF:
            if username.startswith(("hlj.", "hrb.", "qqhr.officer1")):
                self.stdout.write(f"  {username:<16} {full_name}  {title}")

    def load(self, today, year_scale):
        with transaction.atomic():
            agencies = load_agencies(today=today)
            load_staff(agencies=agencies, today=today)
        load_catalogues(today=today)
        cases = load_cases(today=today)
        load_directory(today=today)
        load_disclosures(today=today)
        load_draws(today=today)
        load_approvals(today=today)
        load_tasks(today=today)
        load_monitoring(today=today)
        year = load_year(today=today, scale=year_scale)
        load_training(today=today)
        load_supervision(today=today)
        case_refresh_deadlines()
        notifications_send_due(today=today)
        return cases, year
