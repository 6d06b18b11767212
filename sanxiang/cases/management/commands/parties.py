from sanxiang.agencies.imports import ImportCommand
from sanxiang.cases.services import parties_import


class Command(ImportCommand):
    help = (
        "监管对象名录库：导入本机关的监管对象（CSV、XLSX）/ Regulated-entity directory: import an agency's enterprises"
    )

    service = parties_import
