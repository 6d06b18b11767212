import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanxiang.core.progress import Progress
from sanxiang.ledger import selectors, tiles, witnessing
from sanxiang.ledger.keys import parse_verifier
from sanxiang.ledger.merkle import ProofError
from sanxiang.ledger.models import Checkpoint
from sanxiang.ledger.services import checkpoint_create, ledger_signer
from sanxiang.ledger.signing import NoteError, Verifier
from sanxiang.ledger.verification import checkpoint_read, verify_log

# Exit codes of `ledger verify`: 0 all signed and sound, 1 tampering found, 2 entries unsigned for longer than
# SANXIANG_LEDGER_CHECKPOINT_SECONDS (nothing is signing them), 3 the latest checkpoint lacks the witnesses' quorum
# (a monitor pages on it; it passes once they cosign). A tail within the bound is a warning only.
EXIT_FAILED, EXIT_OVERDUE, EXIT_UNDER_QUORUM = 1, 2, 3


class Command(BaseCommand):
    help = "全过程记录账本：校验、检查点、证明 / The ledger: verify, checkpoint, proofs"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="重新计算并校验整个账本 / recompute and check the whole log")
        verify.add_argument("--json", action="store_true", help="以 JSON 输出 / JSON output")
        verify.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="FILE",
            help="对照外部保存的检查点（可重复）/ also check against a checkpoint kept outside (repeatable)",
        )
        verify.add_argument(
            "--key",
            help="验证公钥或其文件（默认本系统的密钥）/ verifier key, or a file holding it (default: this system's key)",
        )
        checkpoint = actions.add_parser("checkpoint", help="签发当前检查点 / sign a checkpoint of the current log")
        checkpoint.add_argument(
            "--export",
            metavar="FILE",
            help="同时写入文件，供外部保存 / also write it to FILE, for keeping outside the system",
        )
        proof = actions.add_parser("proof", help="条目包含证明 / inclusion proof of an entry")
        proof.add_argument("index", type=int)
        proof.add_argument(
            "--size", type=int, help="树的大小（默认最新检查点）/ tree size (default: latest checkpoint)"
        )
        show = actions.add_parser("show", help="显示一个条目 / show one entry")
        show.add_argument("index", type=int)
        actions.add_parser("key", help="输出验证公钥 / print the verifier key")
        export = actions.add_parser(
            "tiles",
            help="导出静态瓦片与检查点，供任一网站或 CDN 发布 / write the log as static tiles for any web server",
        )
        export.add_argument("folder", type=Path)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _verify(self, *, json: bool, against: list[str], key: str | None, **_):
        if key is not None:
            verifier = _verifier(key)
        elif Checkpoint.objects.exists() or against:
            verifier = ledger_signer().verifier
        else:
            verifier = None
        external = [_saved_checkpoint(path, verifier) for path in against]
        progress = Progress(selectors.log_size(), label="verify", unit="entries")
        report = verify_log(
            verifier=verifier, origin=settings.LEDGER_ORIGIN, external=external, progress=progress.update
        )
        progress.finish()
        if json:
            self.stdout.write(_json(report.as_dict()))
        else:
            self._verify_text(report)
        if not report.ok:
            raise SystemExit(EXIT_FAILED)
        if report.status == "overdue":
            raise SystemExit(EXIT_OVERDUE)
        if report.status == "under_quorum":
            raise SystemExit(EXIT_UNDER_QUORUM)

    def _verify_text(self, report):
        if not report.ok:
            first = report.problems[0]
            self.stdout.write(f"FAILED at index {first.index}: {first.kind}: {first.message}")
            for problem in report.problems[1:20]:
                self.stdout.write(f"  index {problem.index}: {problem.kind}: {problem.message}")
        else:
            signed = report.size - (report.tail.count if report.tail else 0)
            against = f", {report.external} external checkpoints matched" if report.external else ""
            self.stdout.write(
                f"OK: {report.size} entries, {report.checkpoints} checkpoints verified{against}; "
                f"{signed} entries covered by a signed checkpoint. 账本核验通过：{report.size} 条记录，"
                f"{report.checkpoints} 个检查点，{signed} 条已由签名检查点覆盖。"
            )
        tail = report.tail
        if tail is not None:
            since = tail.since.isoformat(timespec="seconds") if tail.since else "?"
            state = "OVERDUE" if tail.overdue else "WARNING"
            self.stdout.write(
                f"{state}: unsigned tail: {tail.count} entries from index {tail.from_index} (since {since}) are not "
                f"covered by any checkpoint; they could have been rewritten unseen. "
                f"未签名尾部：自序号 {tail.from_index} 起 {tail.count} 条（最早 {since}）尚无检查点覆盖。"
            )
            if tail.overdue:
                self.stdout.write(
                    f"  older than SANXIANG_LEDGER_CHECKPOINT_SECONDS={settings.LEDGER_CHECKPOINT_SECONDS}: "
                    f"run `sanxiang ledger checkpoint` and check the serving processes' logs"
                )

        witnessed = report.witnessed
        if witnessed is not None and not witnessed.met:
            self.stdout.write(
                f"WARNING: the latest checkpoint is cosigned by {witnessed.cosigned} of {witnessed.witnesses} witnesses; "
                f"{witnessed.quorum} required. 最新检查点仅有 {witnessed.cosigned} 个见证方联署，要求 {witnessed.quorum} 个。"
            )

    def _checkpoint(self, *, export: str | None, **_):
        if export is not None:
            path = Path(export)
            if path.exists():
                raise CommandError(f"{path} 已存在，不会覆盖保存的检查点。({path} exists; saved checkpoints are kept.)")
        checkpoint = checkpoint_create()
        if export is not None:
            try:
                with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), "w") as handle:
                    handle.write(checkpoint.note)
            except OSError as error:
                raise CommandError(f"无法写入 {path}：{error.strerror}。(Cannot write {path}.)") from None
        self.stdout.write(checkpoint.note, ending="")

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

    def _tiles(self, *, folder: Path, **_):
        checkpoint = selectors.latest_checkpoint()
        if checkpoint is None:
            raise CommandError("账本尚未签发检查点。(The log has no signed checkpoint yet.)")
        progress = Progress(sum(1 for _ in tiles.all_tiles(checkpoint.size)), label="tiles", unit="tiles")
        written, kept = tiles.export(
            folder, note=witnessing.witnessed_note(checkpoint), size=checkpoint.size, progress=progress.update
        )
        progress.finish()
        self.stdout.write(
            f"{folder}: checkpoint {checkpoint.size}, {written} tiles written, {kept} already there "
            f"(serve the folder as <prefix>/checkpoint and <prefix>/tile/…)"
        )

    def _key(self, **_):
        self.stdout.write(str(ledger_signer().verifier))


def _verifier(key: str) -> Verifier:
    """A verifier key given as text (name+keyid+base64) or as a file holding it."""
    path = Path(key)
    try:
        text = path.read_text() if "+" not in key and path.is_file() else key
        return parse_verifier(text)
    except (NoteError, OSError, UnicodeDecodeError) as error:
        raise CommandError(f"验证公钥无效：{error} (Invalid verifier key: {error})") from None


def _saved_checkpoint(path: str, verifier: Verifier):
    try:
        note = Path(path).read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"无法读取检查点文件 {path}：{error} (Cannot read checkpoint file {path})") from None
    try:
        return checkpoint_read(note, verifier=verifier, origin=settings.LEDGER_ORIGIN, source=path)
    except NoteError as error:
        raise CommandError(f"检查点文件 {path} 无效：{error} (Invalid checkpoint file {path}: {error})") from None


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
