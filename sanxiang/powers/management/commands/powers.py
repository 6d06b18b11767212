from sanxiang.agencies.imports import ImportCommand
from sanxiang.powers.services import powers_import


class Command(ImportCommand):
    help = "执法事项库：导入本机关的权责清单（CSV、XLSX）/ Powers catalogue: import an agency's catalogue"

    def run(self, *, agency, source, file_format):
        return powers_import(actor="cli", agency=agency, source=source, file_format=file_format)
