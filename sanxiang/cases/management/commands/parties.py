from sanxiang.agencies.imports import ImportCommand
from sanxiang.cases.services import parties_import


class Command(ImportCommand):
    help = (
        "监管对象名录库：导入本机关的监管对象（CSV、XLSX）/ Regulated-entity directory: import an agency's enterprises"
    )

    def run(self, *, agency, source, file_format):
        return parties_import(actor="cli", agency=agency, source=source, file_format=file_format)
