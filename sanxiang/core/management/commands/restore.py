import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.core.backup.manifest import BackupError
from sanxiang.core.backup.operations import backup_check, backup_restore
from sanxiang.core.management.commands.backup import progress


class Command(BaseCommand):
    help = (
        "把备份恢复到空的安装并校验账本和证据文件 / Restore a backup into an empty installation, then verify the "
        "ledger and every stored file"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="备份文件夹 / the backup folder")
        parser.add_argument(
            "--check",
            action="store_true",
            help="只核对备份文件的哈希，不恢复 / only re-hash the backup against its manifest, restore nothing",
        )

    def handle(self, *args, directory: Path, check: bool, **options):
        started = time.monotonic()
        folder = directory.expanduser().absolute()
        try:
            if check:
                return self._check(folder)
            result = backup_restore(folder=folder, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                f"恢复失败：{error.strerror or error}" + (f"：{error.filename}" if error.filename else "")
            ) from None
        self.stdout.write(
            f"已恢复 / restored: {folder}（{result.manifest.created_at} 的备份，版本 {result.manifest.version}）"
        )
        if result.migrated:
            self.stdout.write("  已执行数据库迁移 / migrated to this version")
        for outcome in result.checks:
            self.stdout.write(f"  {outcome.name}: {'OK' if outcome.ok else 'FAILED'} {outcome.summary}")
            for problem in outcome.problems[:20]:
                self.stdout.write(f"    {problem}")
        self.stdout.write(f"  用时 / took: {time.monotonic() - started:.1f} s")
        if not result.ok:
            raise SystemExit(1)

    def _check(self, folder: Path) -> None:
        manifest, problems = backup_check(folder=folder, progress=progress)
        if problems:
            raise CommandError("备份已损坏 / damaged backup:\n" + "\n".join(problems))
        self.stdout.write(f"OK: {len(manifest.files)} 个文件与清单一致 / files match the manifest ({folder})")
