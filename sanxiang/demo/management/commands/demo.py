from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sanxiang.cases.services import case_refresh_deadlines
from sanxiang.demo.agencies import DEMO_PASSWORD, STAFF, load_agencies, load_staff
from sanxiang.demo.cases import load_cases
from sanxiang.demo.disclosures import load_disclosures
from sanxiang.ledger.services import checkpoint_create
from sanxiang.web.services import notifications_send_due


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）/ Load the demo data (safe to run again)"

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            agencies = load_agencies(today=today)
            load_staff(agencies=agencies, today=today)
        cases = load_cases(today=today)
        load_disclosures(today=today)
        case_refresh_deadlines()
        notifications_send_due(today=today)
        checkpoint = checkpoint_create()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
        self.stdout.write(f"案件 / cases: {cases} new; 账本 / ledger: {checkpoint.size} entries, checkpoint signed")
        self.stdout.write(f"演示账号密码均为 / every demo password: {DEMO_PASSWORD}")
        for username, full_name, _code, _roles, title, _qualified in STAFF:
            if username.startswith(("hlj.", "hrb.", "qqhr.officer1")):
                self.stdout.write(f"  {username:<16} {full_name}  {title}")
