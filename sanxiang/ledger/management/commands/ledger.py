import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanxiang.core.progress import Progress
from sanxiang.ledger import selectors
from sanxiang.ledger.merkle import ProofError
from sanxiang.ledger.models import Checkpoint, LogHead
from sanxiang.ledger.services import checkpoint_create, ledger_signer
from sanxiang.ledger.verification import verify_log


class Command(BaseCommand):
    help = "全过程记录账本：校验、检查点、证明 / The ledger: verify, checkpoint, proofs"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="重新计算并校验整个账本 / recompute and check the whole log")
        verify.add_argument("--json", action="store_true", help="以 JSON 输出 / JSON output")
        actions.add_parser("checkpoint", help="签发当前检查点 / sign a checkpoint of the current log")
        proof = actions.add_parser("proof", help="条目包含证明 / inclusion proof of an entry")
        proof.add_argument("index", type=int)
        proof.add_argument(
            "--size", type=int, help="树的大小（默认最新检查点）/ tree size (default: latest checkpoint)"
        )
        show = actions.add_parser("show", help="显示一个条目 / show one entry")
        show.add_argument("index", type=int)
        actions.add_parser("key", help="输出验证公钥 / print the verifier key")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _verify(self, *, json: bool, **_):
        total = LogHead.objects.values_list("size", flat=True).first() or 0
        progress = Progress(total, label="verify", unit="entries")
        verifier = ledger_signer().verifier if Checkpoint.objects.exists() else None
        report = verify_log(verifier=verifier, origin=settings.LEDGER_ORIGIN, progress=progress.update)
        progress.finish()
        if json:
            self.stdout.write(_json(report.as_dict()))
        elif report.ok:
            self.stdout.write(f"OK: {report.size} entries, {report.checkpoints} checkpoints verified")
        else:
            first = report.problems[0]
            self.stdout.write(f"FAILED at index {first.index}: {first.kind}: {first.message}")
            for problem in report.problems[1:20]:
                self.stdout.write(f"  index {problem.index}: {problem.kind}: {problem.message}")
        if not report.ok:
            raise SystemExit(1)

    def _checkpoint(self, **_):
        self.stdout.write(checkpoint_create().note, ending="")

    def _proof(self, *, index, size, **_):
        latest = selectors.latest_checkpoint()
        try:
            proof = selectors.inclusion_proof(index, size if size is not None else (latest.size if latest else 0))
        except ProofError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_json(proof))

    def _show(self, *, index, **_):
        entry = selectors.entry_get(index)
        if entry is None:
            raise CommandError(f"no entry {index}")
        self.stdout.write(_json(selectors.entry_json(entry)))

    def _key(self, **_):
        self.stdout.write(str(ledger_signer().verifier))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
