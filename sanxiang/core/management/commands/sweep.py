from django.core.management.base import BaseCommand

from sanxiang.core.blobs import sweep_temporaries


class Command(BaseCommand):
    help = (
        "清理崩溃遗留的上传临时文件和存储临时文件 / Remove orphaned upload spools and store temporaries "
        "(older than SANXIANG_TEMPORARY_FILES_HOURS)"
    )

    def handle(self, *args, **options):
        removed = sweep_temporaries()
        self.stdout.write(
            f"已清理 / removed: 上传临时文件 / uploads {removed['uploads']}，存储临时文件 / store temporaries "
            f"{removed['incoming']}，过期或被拒的断点续传 / expired or refused resumable uploads "
            f"{removed.get('resumable', 0)}"
        )
