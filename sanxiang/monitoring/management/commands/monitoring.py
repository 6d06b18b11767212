import datetime as dt
import signal
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.core.progress import Progress
from sanxiang.monitoring import clues, segments, services
from sanxiang.monitoring.importer import packets_import
from sanxiang.monitoring.listener import Counts, Listener


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--day 应为 YYYY-MM-DD / got {text!r}") from None


def _address(text: str) -> tuple[str, int]:
    host, colon, port = text.rpartition(":")
    if not colon or not port.isdigit():
        raise CommandError(f"--bind 应为 主机:端口，如 0.0.0.0:2120 / host:port, got {text!r}")
    return host or "0.0.0.0", int(port)


class Command(BaseCommand):
    help = "在线监控：HJ 212-2017 数据接收、导入与封存 / Online monitoring: receive, import and seal HJ 212 data"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listen = actions.add_parser("listen", help="监听 TCP 端口接收设备报文 / serve devices over TCP")
        listen.add_argument("--bind", type=_address, default=("0.0.0.0", 2120), help="主机:端口（默认 0.0.0.0:2120）")
        source = actions.add_parser("import", help="导入抓取的报文日志 / import a captured packet log")
        source.add_argument("file", type=Path)
        actions.add_parser("seal", help="封存已结束小时的报文分段 / seal the segments of hours that are over")
        detect = actions.add_parser("detect", help="判定一日的超标并生成线索 / find a day's exceedances")
        detect.add_argument("--day", type=_day, default=None, help="数据日期 YYYY-MM-DD（默认昨日）")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except segments.WriterBusy as error:
            raise CommandError(str(error)) from None

    def _listen(self, bind, **options):
        listener = Listener(*bind)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: listener.stop())
        self.stdout.write(f"在线监控数据接收 / HJ 212 listener on {bind[0]}:{bind[1]}")
        listener.run()
        middle, most = listener.counts.answer_percentile(0.5), listener.counts.answer_percentile(0.99)
        if middle is not None:
            self.stdout.write(
                f"应答耗时（收到至发出）：中位数 {middle} ms，99% 不超过 {most} ms"
                f" / answer time from receipt: p50 {middle} ms, p99 {most} ms"
            )
        self._counts(listener.counts)

    def _import(self, file, **options):
        if not file.is_file():
            raise CommandError(f"找不到文件 / no such file: {file}")
        progress = Progress(file.stat().st_size, label="导入报文", unit="B", stream=sys.stderr)
        with file.open("rb") as source:
            counts = packets_import(source=source, progress=progress.update)
        progress.finish()
        self._counts(counts)

    def _seal(self, **options):
        sealed = services.segments_seal()
        for segment in sealed:
            self.stdout.write(f"{segment}：{segment.packets} 个报文，SHA-256 {segment.sha256}")
        self.stdout.write(f"封存 {len(sealed)} 个分段 / sealed {len(sealed)} segments")

    def _detect(self, day, **options):
        day = day or timezone.localdate() - dt.timedelta(days=1)
        run = clues.exceedances_find(day=day)
        excluded = "，".join(f"{cause} {count}" for cause, count in sorted(run.excluded_minutes.items())) or "0"
        self.stdout.write(
            f"{day}：核查 {run.hours_checked} 小时，有效 {run.hours_valid}，新发现超标 {run.findings}，"
            f"未计入分钟 {excluded}，依规未认定的疑似超标 {len(run.withheld)}"
            f" / checked {run.hours_checked} hours, {run.findings} new exceedances"
        )

    def _counts(self, counts: Counts) -> None:
        refused = "，".join(f"{reason} {number}" for reason, number in sorted(counts.quarantined.items())) or "0"
        self.stdout.write(
            f"收到 {counts.received}，入库 {counts.stored}，重复 {counts.duplicates}，隔离 {refused}"
            f" / received {counts.received}, stored {counts.stored}, duplicates {counts.duplicates}"
        )
