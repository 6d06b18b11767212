import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.agencies.models import Agency, User
from sanxiang.laws import selectors, services
from sanxiang.laws.models import InForce, Instrument


class Command(BaseCommand):
    help = (
        "法律法规库：版本清单、导入官方文本、核对规则所引条款 / Law library: versions, official texts, rule citations"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="列出库中的各个版本及其效力 / list the versions and whether each is in force")
        source = actions.add_parser(
            "import", help="导入国家法律法规数据库下载的 .docx 或 .txt 官方文本 / import an official text"
        )
        source.add_argument("file", type=Path)
        source.add_argument("--user", required=True, help="办理导入的省级系统管理员 / the provincial administrator")
        source.add_argument("--instrument", type=int, help="版本编号（见 list）；不填按文件标题识别 / version id")
        check = actions.add_parser(
            "check", help="列出所引条款在某日不在施行期内的规则 / rules citing a version not in force on a day"
        )
        check.add_argument("--on", type=dt.date.fromisoformat, help="YYYY-MM-DD（默认今天 / default today）")
        check.add_argument("--agency", help="机关代码 / agency code (default: national)")

    def handle(self, *args, action, **options):
        if action == "list":
            today = timezone.localdate()
            for instrument in Instrument.objects.order_by("title", "effective_from"):
                self.stdout.write(f"{instrument.pk}\t{instrument}\t{InForce(instrument.status_on(today)).label}")
        elif action == "import":
            self._import(**options)
        else:
            self._check(**options)

    def _import(self, *, file, user, instrument, **_):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"未知用户 / unknown user: {user}")
        chosen = None
        if instrument is not None:
            chosen = Instrument.objects.filter(pk=instrument).first()
            if chosen is None:
                raise CommandError(f"没有这个版本 / no such version: {instrument}")
        try:
            imported = services.instrument_text_import(
                actor=actor, file_name=file.name, content=file.read_bytes(), instrument=chosen
            )
        except services.TextRejected as error:
            for problem in error.problems:
                self.stderr.write(problem)
            self.stderr.write(f"未导入任何内容 / nothing imported: {len(error.problems)} 处问题 / problems")
            raise SystemExit(1) from None
        except (ValidationError, PermissionDenied, OSError) as error:
            raise CommandError(getattr(error, "messages", [str(error)])[0]) from None
        self.stdout.write(f"已导入 / imported: {imported}")

    def _check(self, *, on, agency, **_):
        place = None
        if agency:
            place = Agency.objects.filter(code=agency).first()
            if place is None:
                raise CommandError(f"未知机关代码 / unknown agency: {agency}")
        on = on or timezone.localdate()
        stale = [reading for reading in selectors.rules_read(agency=place, on=on) if reading.stale]
        for reading in stale:
            versions = "、".join(f"{found.instrument}{InForce(found.status).label}" for found in reading.stale)
            self.stdout.write(f"{reading.value.key}\t{reading.value.citation}\t{versions}")
        self.stdout.write(f"{on}: {len(stale)} 条规则所引条款不在施行期内 / rules citing a version not in force")
