"""Imports into an agency: the API endpoint and the command-line shape that every directory and catalogue import
shares (the powers catalogue, the regulated-entity directory, the inspection items). Each app's import service reads
the file (core.tables) and decides everything; these only hand it the agency, the file and its format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.models import Agency
from sanxiang.api.forms import validated
from sanxiang.core.forms import ImportForm, uploaded
from sanxiang.core.tables import Imported, ImportRejected, file_format_of


class ImportBody(serializers.Serializer):
    agency = serializers.IntegerField(help_text="导入机关的编号")
    file = serializers.FileField(help_text="CSV（UTF-8 或 GB18030）或 XLSX，第一行为表头")


class ImportedOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportApi(APIView):
    """Import a CSV or XLSX file into an agency the caller sees. All or nothing: on any problem, 400 with
    error.fields keyed "line:column" (line 1 is the header) and nothing saved, nor written to the ledger; 403 for
    a caller the import's service does not admit. A subclass names its app's import service (`service`)."""

    parser_classes = [MultiPartParser]
    service: Callable[..., Imported]  # (actor=, agency=, source=, file_format=)

    @extend_schema(request={"multipart/form-data": ImportBody}, responses={201: ImportedOut})
    def post(self, request):
        form = ImportForm(request.POST, request.FILES, agencies=Agency.objects.visible_to(request.user))
        data = validated(form)
        with data["file"].open("rb") as upload:
            result = type(self).service(actor=request.user, agency=data["agency"], **uploaded(upload))
        return Response(ImportedOut(result).data, status=status.HTTP_201_CREATED)


class ImportCommand(BaseCommand):
    """`sanxiang <app> import FILE --agency CODE`, run as the command line ("cli"): every problem of the file on
    standard error by line and column, and exit status 1 with nothing saved; else what was created and updated. A
    subclass names what it imports (`help`) and its app's import service (`service`)."""

    service: Callable[..., Imported]  # (actor=, agency=, source=, file_format=)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        source = actions.add_parser(
            "import", help="导入 CSV、XLSX 文件（全部导入或全部不导入）/ import, all or nothing"
        )
        source.add_argument("file", type=Path)
        source.add_argument("--agency", required=True, help="机关代码 / agency code, e.g. 230100")

    def handle(self, *args, file: Path, agency: str, **options):
        place = Agency.objects.filter(code=agency).first()
        if place is None:
            raise CommandError(f"未知机关代码 / unknown agency: {agency}")
        service = type(self).service
        result = command_import(
            self,
            file,
            lambda source, file_format: service(actor="cli", agency=place, source=source, file_format=file_format),
        )
        self.stdout.write(
            f"已导入 / imported: 新增 created {result.created}, 更新 updated {result.updated}, "
            f"无变化 unchanged {result.unchanged}"
        )


def command_import(command: BaseCommand, file: Path, run):
    """Run an import of `file` from the command line: what `run(source, file_format)` returns; or every problem of
    the file on standard error by line and column, and exit status 1 with nothing saved; or the refusal as a
    command error."""
    try:
        with file.open("rb") as source:
            return run(source, file_format_of(file.name))
    except ImportRejected as error:
        for row in error.rows:
            command.stderr.write(str(row))
        command.stderr.write(f"未导入任何内容 / nothing imported: {len(error.rows)} 处错误 / errors")
        raise SystemExit(1) from None
    except (ValidationError, PermissionDenied, OSError) as error:
        raise CommandError(getattr(error, "messages", [str(error)])[0]) from None
