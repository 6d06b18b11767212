import datetime as dt
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.agencies.imports import command_import
from sanxiang.agencies.models import User
from sanxiang.publicity import opendata, services


class Command(BaseCommand):
    help = "公示数据：导出、导入双公示信息，公示期满下线 / Publicity: open data export and import, nightly expiry"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        kinds = [kind.value for kind in opendata.KINDS]
        export = actions.add_parser("export", help="导出已公示的双公示信息 / export published records")
        export.add_argument("--kind", required=True, choices=kinds)
        export.add_argument("--format", required=True, choices=list(opendata.CONTENT_TYPES), dest="file_format")
        export.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            help="最新公开版本的公示日期不早于 YYYY-MM-DD / latest public version published on or after",
        )
        export.add_argument("--output", type=Path, help="输出文件（默认标准输出）/ output file (default: stdout)")
        source = actions.add_parser("import", help="导入其他系统的双公示信息（CSV、XLSX）/ import CSV or XLSX records")
        source.add_argument("--kind", required=True, choices=kinds)
        source.add_argument("--user", required=True, help="办理导入的公示管理员用户名 / the importing clerk")
        source.add_argument("file", type=Path)
        actions.add_parser("expire", help="公示期满的记录下线（每晚自动执行）/ end records past their display period")

    def handle(self, *args, action, **options):
        if action == "export":
            self._export(**options)
        elif action == "import":
            self._import(**options)
        else:
            ended = services.publications_expire(today=timezone.localdate())
            self.stdout.write(f"公示期满下线 / ended: {ended}")

    def _export(self, *, kind, file_format, since, output, **_):
        filters = opendata.Filters(kind=kind, since=since)
        # The filters go to standard error, so that standard output stays the file itself.
        self.stderr.write(f"导出 / export: {filters.describe()} ({filters.file_name(file_format)})")
        generated_at = timezone.now()
        if file_format == "xlsx":
            with opendata.xlsx_file(filters, generated_at=generated_at) as workbook:
                if output is None:
                    shutil.copyfileobj(workbook, sys.stdout.buffer)
                    sys.stdout.buffer.flush()
                else:
                    with output.open("wb") as target:
                        shutil.copyfileobj(workbook, target)
            return
        chunks = (
            opendata.csv_chunks(filters)
            if file_format == "csv"
            else opendata.json_chunks(filters, generated_at=generated_at)
        )
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        with output.open("w", encoding="utf-8", newline="") as target:
            target.writelines(chunks)

    def _import(self, *, kind, user, file, **_):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"未知用户 / unknown user: {user}")
        created = command_import(
            self,
            file,
            lambda source, file_format: services.publications_import(
                actor=actor, kind=kind, source=source, file_format=file_format
            ),
        )
        self.stdout.write(
            f"已导入 / imported: {created}（待遮盖处理、复核后公示 / drafts to mask, confirm and publish）"
        )
