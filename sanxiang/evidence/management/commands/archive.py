from json import dumps
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.cases.models import Case
from sanxiang.evidence.archive import verify_bag
from sanxiang.evidence.services import case_file_export


class Command(BaseCommand):
    help = "案卷归档包（BagIt）：导出与离线校验 / The archived case file (BagIt): export and offline verification"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="导出案卷 / export a case file")
        export.add_argument("case", help="立案编号 / case number")
        export.add_argument("outdir", type=Path)
        verify = actions.add_parser("verify", help="离线校验（无需数据库）/ verify offline, no database needed")
        verify.add_argument("bag", type=Path)
        verify.add_argument("--key", help="验证公钥（应从可信渠道获取）/ verifier key, from a trusted source")
        verify.add_argument(
            "--witnesses",
            type=Path,
            help="见证方策略文件（/ledger/witnesses，应从可信渠道获取）/ witness policy file, from a trusted source",
        )
        verify.add_argument(
            "--tsa-roots",
            type=Path,
            help="时间戳服务根证书（PEM，应从可信渠道获取）/ the TSA's root certificates (PEM), from a trusted source",
        )
        verify.add_argument("--json", action="store_true")

    requires_system_checks = []

    def handle(self, *args, action, **options):
        if action == "export":
            case = Case.objects.select_related("agency", "party").filter(number=options["case"]).first()
            if case is None:
                raise CommandError(f"未知立案编号 / unknown case: {options['case']}")
            if options["outdir"].exists():
                raise CommandError(f"目标已存在 / already exists: {options['outdir']}")
            bag = case_file_export(case=case, outdir=options["outdir"])
            self.stdout.write(f"{bag}")
            return
        try:
            witnesses = options["witnesses"].read_text(encoding="utf-8") if options["witnesses"] else None
            tsa_roots = options["tsa_roots"].read_bytes() if options["tsa_roots"] else None
        except OSError as error:
            raise CommandError(f"无法读取 / cannot read: {error}") from None
        verdict = verify_bag(options["bag"], key=options["key"], witnesses=witnesses, tsa_roots=tsa_roots)
        stamped = verdict.stamped_at.isoformat(timespec="seconds") if verdict.stamped_at else None
        if options["json"]:
            self.stdout.write(
                dumps(
                    {
                        "ok": verdict.ok,
                        "files": verdict.checked_files,
                        "entries": verdict.checked_entries,
                        "stamped_at": stamped,
                        "from_the_bag": verdict.from_the_bag,
                        "problems": verdict.problems,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif verdict.ok:
            self.stdout.write(f"OK: {verdict.checked_files} files, {verdict.checked_entries} ledger entries verified")
            self.stdout.write(
                f"trusted time (RFC 3161): the checkpoint existed by {stamped}"
                if stamped
                else "no trusted timestamp in the bag / 归档包中没有可信时间戳"
            )
            if verdict.from_the_bag:
                self.stdout.write(
                    f"checked against the bag's own {', '.join(verdict.from_the_bag)}, not independently: give "
                    "--key, --witnesses and --tsa-roots from a trusted source / 以上依据取自归档包本身，请另行提供可信的公钥与证书"
                )
        else:
            for problem in verdict.problems:
                self.stdout.write(f"FAILED: {problem}")
        if not verdict.ok:
            raise SystemExit(1)
