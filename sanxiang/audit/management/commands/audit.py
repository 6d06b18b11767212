from django.conf import settings
from django.core.management.base import BaseCommand

from sanxiang.audit.models import Channel
from sanxiang.audit.services import audit_purge


class Command(BaseCommand):
    help = "安全审计日志：清理超过保存期限的记录 / The security audit log: purge events past retention"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "purge",
            help=f"删除超过 SANXIANG_AUDIT_RETENTION_DAYS（现为 {settings.AUDIT_RETENTION_DAYS} 天）的记录 / "
            "delete events older than the retention",
        )

    def handle(self, *args, action, **options):
        deleted = audit_purge(channel=Channel.CLI)
        self.stdout.write(f"已删除 {deleted} 条超过 {settings.AUDIT_RETENTION_DAYS} 天的记录 / {deleted} events purged")
