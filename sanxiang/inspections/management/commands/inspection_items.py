from sanxiang.agencies.imports import ImportCommand
from sanxiang.inspections.services import items_import


class Command(ImportCommand):
    help = "检查事项清单：导入本机关的检查事项及各分级分类的抽查比例和频次（CSV、XLSX）/ Import inspection items"

    service = items_import
