from pathlib import Path

from django.core.management.base import BaseCommand

from sanxiang.documents.builder import build_template
from sanxiang.documents.services import DEFAULT_TEMPLATES
from sanxiang.documents.types import TYPES


class Command(BaseCommand):
    help = "执法文书：生成默认模板、列出字段 / Documents: build default templates, list fields"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build-templates", help="生成默认 DOCX 模板 / build the default DOCX templates")
        build.add_argument("--output", type=Path, default=DEFAULT_TEMPLATES)
        actions.add_parser(
            "types", help="列出文书种类及其字段、必备内容 / list the document types, their fields and required fields"
        )

    def handle(self, *args, action, **options):
        if action == "build-templates":
            options["output"].mkdir(parents=True, exist_ok=True)
            for code, kind in TYPES.items():
                (options["output"] / f"{code}.docx").write_bytes(build_template(kind))
            self.stdout.write(f"{len(TYPES)} templates in {options['output']}")
        else:
            for code, kind in TYPES.items():
                required = ", ".join(
                    [*kind.required, *(f"{name} (with {other})" for name, other in kind.required_with)]
                )
                self.stdout.write(
                    f"{code}\t{kind.name}\t{kind.category or '-'}\t{', '.join(sorted(kind.fields))}\t{required or '-'}"
                )
