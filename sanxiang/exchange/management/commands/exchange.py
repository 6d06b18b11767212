from django.core.management.base import BaseCommand, CommandError

from sanxiang.exchange.client import pull
from sanxiang.exchange.verify import FeedError


class Command(BaseCommand):
    help = "数据交换：拉取并验证另一平台的交换数据 / Exchange: pull and verify another installation's feed"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        pulling = actions.add_parser("pull", help="拉取、验证并存入只读镜像 / pull, verify, store in the mirror")
        pulling.add_argument("--url", required=True, help="来源平台地址，如 https://sx.example.gov.cn")
        pulling.add_argument("--token", required=True, help="来源平台签发的对接平台（partner）令牌")
        pulling.add_argument("--key", help="来源的检查点验证公钥（默认首次拉取时从 /ledger/key 读取并固定）")
        pulling.add_argument("--since", type=int, help="从此账本序号之后拉取（默认：镜像所在位置）")
        pulling.add_argument("--limit", type=int, default=1000, help="每批条目数（最多 2000）")

    def handle(self, *args, action, url, token, key=None, since=None, limit=1000, **options):
        try:
            report = pull(url=url, token=token, key=key, since=since, limit=limit)
        except FeedError as error:
            raise CommandError(
                f"拉取被拒绝，未存入这一批的任何记录 / pull refused, nothing of the batch stored: {error}"
            ) from None
        self.stdout.write(
            f"{report.source}：{report.batches} 批，{report.records} 条记录，镜像至序号 {report.next_since}，"
            f"检查点 {report.checkpoint_size} 条"
        )
        self.stdout.write(f"batches: {report.batches}, records: {report.records}, next since: {report.next_since}")
