import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanxiang.core.progress import Progress
from sanxiang.core.textindex import TEXT_INDEXES


class Command(BaseCommand):
    help = (
        "重建检索索引（案件、名录、证据、公示决定），请先停止应用服务和后台任务 / Make the search indexes again from "
        "the tables (all of them, or those named by table), with the servers and the worker stopped"
    )

    def add_arguments(self, parser):
        parser.add_argument("tables", nargs="*", help=f"索引表名 / index tables: {', '.join(TEXT_INDEXES)}")

    def handle(self, *args, **options):
        names = options["tables"] or list(TEXT_INDEXES)
        unknown = sorted(set(names) - set(TEXT_INDEXES))
        if unknown:
            raise CommandError(
                f"没有这个索引 / no such index: {', '.join(unknown)}（可选 / one of: {', '.join(TEXT_INDEXES)}）"
            )
        for name in names:
            kept = TEXT_INDEXES[name]
            started = time.perf_counter()
            bar = None

            def shown(done: int, total: int, label: str = kept.label) -> None:
                nonlocal bar
                bar = bar or Progress(total, label=label, unit="条")
                bar.update(done)

            with transaction.atomic():  # searches see the old index until the new one is whole
                count = kept.rebuild(progress=shown)
            if bar:
                bar.finish()
            self.stdout.write(f"{kept.label} / {name}: {count} 条 / rows, {time.perf_counter() - started:.1f} s")
