import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.core.backup.manifest import BackupError
from sanxiang.core.backup.operations import backup_create
from sanxiang.core.progress import Progress


def progress(label: str, total: int, unit: str) -> Progress:
    return Progress(total, label=label, unit=unit)


class Command(BaseCommand):
    help = "在线备份：数据库、证据文件、密钥和清单 / Back up the database, the blob store, the keys and a manifest"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="新的空文件夹 / a new or empty folder")

    def handle(self, *args, directory: Path, **options):
        started = time.monotonic()
        try:
            result = backup_create(folder=directory.expanduser().absolute(), progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                f"备份失败：{error.strerror or error}" + (f"：{error.filename}" if error.filename else "")
            ) from None
        manifest = result.manifest
        blobs = [record for record in manifest.files if record.path.startswith("blobs/")]
        keys = [record.path for record in manifest.files if record.path.startswith("keys/")]
        self.stdout.write(f"备份完成 / backup written: {result.folder}")
        self.stdout.write(f"  数据库 / database: {manifest.database['vendor']} ({manifest.database['file']})")
        self.stdout.write(f"  文件 / blobs: {len(blobs)}，{sum(r.size for r in blobs):,} 字节 / bytes")
        self.stdout.write(f"  密钥 / keys: {', '.join(keys) or '无 / none'}")
        if manifest.sealed_blobs:
            self.stdout.write(
                f"  加密存储 / sealed: {len(manifest.sealed_blobs)} 个文件保持加密；主密钥不在备份中，请另行保管 / "
                "files kept encrypted; the master key is not in the backup, keep it apart"
            )
        self.stdout.write(f"  用时 / took: {time.monotonic() - started:.1f} s")
        if result.damaged_blobs:
            # Copied as they are, and listed: the restore's scrub will name the records that use them.
            for name in result.damaged_blobs:
                self.stderr.write(f"内容与名称（哈希）不符的文件 / damaged blob: {name}")
            raise SystemExit(1)
