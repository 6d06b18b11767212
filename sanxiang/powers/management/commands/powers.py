from sanxiang.agencies.imports import ImportCommand
from sanxiang.powers.services import powers_import


class Command(ImportCommand):
    help = "执法事项库：导入本机关的权责清单（CSV、XLSX）/ Powers catalogue: import an agency's catalogue"

    service = powers_import
