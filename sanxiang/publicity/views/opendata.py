"""Open data of publicity: the export form and response the portal's downloads and API v1 share, API v1 export
(public) and import (publicity clerks), and the workbench's import page and manual licence entry (手工录入行政许可)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.models import Agency
from sanxiang.api.forms import validated
from sanxiang.api.views import OpenDataApi
from sanxiang.audit.models import Kind
from sanxiang.audit.services import audit_record
from sanxiang.core.forms import DateInput, apply_validation_error
from sanxiang.core.tables import ImportRejected, file_format_of
from sanxiang.core.wording import deadline_words
from sanxiang.publicity import layouts, opendata, services
from sanxiang.publicity.services.lifecycle import agency_clerk

KIND_CHOICES = [(kind.value, kind.label) for kind in opendata.KINDS]
FILTERS_HEADER = "X-Sanxiang-Filters"


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=KIND_CHOICES)
    format = forms.ChoiceField(
        label=gettext_lazy("格式"), choices=[(name, name.upper()) for name in opendata.CONTENT_TYPES]
    )
    since = forms.DateField(
        label=gettext_lazy("公示日期不早于"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("只含此日及以后公示或更正的记录；不填为全部"),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=KIND_CHOICES)
    file = forms.FileField(label=gettext_lazy("文件（CSV 或 XLSX，现行或 2016 年格式）"))


def export_response(request, data: dict):
    """The export as a download named by its filters: CSV and JSON streamed as they are written, XLSX from the
    temporary file it was written to. Each export is recorded in the security audit log (who, if signed in, and
    from which address)."""
    filters = opendata.Filters(kind=data["kind"], since=data.get("since"))
    audit_record(
        kind=Kind.OPENDATA_EXPORT,
        request=request,
        detail={"kind": data["kind"], "format": data["format"], "since": data.get("since")},
    )
    file_format, generated_at = data["format"], timezone.now()
    name = filters.file_name(file_format)
    if file_format == "xlsx":
        response = FileResponse(
            opendata.xlsx_file(filters, generated_at=generated_at),
            as_attachment=True,
            filename=name,
            content_type=opendata.CONTENT_TYPES["xlsx"],
        )
    else:
        chunks = (
            opendata.csv_chunks(filters)
            if file_format == "csv"
            else opendata.json_chunks(filters, generated_at=generated_at)
        )
        response = StreamingHttpResponse(
            (chunk.encode() for chunk in chunks), content_type=opendata.CONTENT_TYPES[file_format]
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response[FILTERS_HEADER] = filters.describe()
    return response


# ---- API v1 ----


class ExportNegotiation(DefaultContentNegotiation):
    """`format` names the export's file format here, not DRF's choice of renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportApi(OpenDataApi):
    """Open data (no login): published 行政处罚 or 行政许可 records in the current national 双公示 layout, every
    field in its order, amounts in 万元, ID numbers left empty. The applied filters are named in the file name, the
    X-Sanxiang-Filters header, JSON's "filters" object and the XLSX sheet 说明. Streamed. A partner platform's token
    is accepted (OpenDataApi)."""

    content_negotiation_class = ExportNegotiation

    class Query(serializers.Serializer):
        kind = serializers.ChoiceField(choices=KIND_CHOICES)
        format = serializers.ChoiceField(choices=list(opendata.CONTENT_TYPES))
        since = serializers.DateField(required=False, help_text="最新公开版本的公示日期不早于此日（含）")

    @extend_schema(
        parameters=[Query],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, opendata.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
        },
    )
    def get(self, request):
        return export_response(request, validated(ExportForm(request.query_params)))


class ImportBody(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    file = serializers.FileField(help_text="CSV（UTF-8 或 GB18030）或 XLSX；现行或 2016 年双公示格式，按表头识别")


class ImportOut(serializers.Serializer):
    kind = serializers.CharField()
    created = serializers.IntegerField()


class ImportApi(APIView):
    """Import a file of decisions made in other systems (publicity clerks and heads). All or nothing: on any
    problem, 400 with error.fields keyed "line:column" (line 1 is the header) and nothing saved."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ImportBody}, responses={201: ImportOut})
    def post(self, request):
        data = validated(ImportForm(request.POST, request.FILES))
        created = _import(request.user, data)
        return Response({"kind": data["kind"], "created": created}, status=status.HTTP_201_CREATED)


def _import(user, data: dict) -> int:
    upload = data["file"]
    file_format = file_format_of(upload.name)
    with upload.open("rb"):
        return services.publications_import(actor=user, kind=data["kind"], source=upload.file, file_format=file_format)


# ---- workbench ----


def import_records(request):
    """Upload a file; every problem is listed by line and column, and nothing is saved unless there is none."""
    agency_clerk(actor=request.user, agency=request.user.agency)
    form = ImportForm(request.POST or None, request.FILES or None)
    rows = []
    if request.method == "POST" and form.is_valid():
        try:
            created = _import(request.user, form.cleaned_data)
        except ImportRejected as error:
            rows = error.rows
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("已导入 %(n)d 条记录，请在公示台账中逐条遮盖处理、复核后公示。") % {"n": created}
            )
            return redirect("publicity:desk")
    return render(
        request, "publicity/opendata/import.html", {"form": form, "rows": rows, "layouts": layouts.LAYOUTS.values()}
    )


ENTERED = [
    field
    for field in layouts.LICENCE.fields
    if field not in (layouts.LICENCE.agency, layouts.LICENCE.agency_uscc, *layouts.DATA_SOURCE)
]
HELP = {
    "法定代表人证件类型": gettext_lazy(
        "身份证、护照号、港澳居民来往内地通行证、台湾居民来往大陆通行证、外国人永久居留身份证或“其他-**”"
    ),
    "行政许可决定文书号": gettext_lazy("没有决定文书号的，填写许可编号"),
    "有效期至": gettext_lazy("长期有效的填 2099-12-31"),
    "证件号码": gettext_lazy("不公开，仅用于遮盖处理和信用信息共享"),
}


class LicenceForm(forms.Form):
    """The fields of the current 行政许可 layout, named as in the layout; 许可机关 and 数据来源单位 are the agency."""

    agency = forms.ModelChoiceField(label=gettext_lazy("许可机关"), queryset=Agency.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user).filter(is_active=True)
        self.fields["agency"].initial = user.agency_id
        # Which fields are required, and when, is the service's to say (a missing 文书号 takes the 许可编号).
        for name in ENTERED:
            if name in layouts.CHOICES:
                field = forms.ChoiceField(
                    choices=[("", "—")] + [(choice, choice) for choice in layouts.CHOICES[name]], required=False
                )
            elif name in layouts.LICENCE.dates:
                field = forms.DateField(required=False, widget=DateInput())
            else:
                field = forms.CharField(
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}) if name == "许可内容" else None,
                )
            field.label = f"{name}（{_('必填')}）" if name in layouts.LICENCE.required else name
            field.help_text = HELP.get(name, "")
            self.fields[name] = field
        self.fields["当前状态"].initial = "有效"


def licence_enter(request):
    """手工录入行政许可: a licence decision made outside the platform becomes a draft publication due in 7
    working days from its decision."""
    agency_clerk(actor=request.user, agency=request.user.agency)
    form = LicenceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        try:
            publication = services.publication_enter(actor=request.user, agency=agency, fields=data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已录入，应于 %(date)s公示。") % {"date": deadline_words(publication.due_on)})
            return redirect("publicity:publication", publication.pk)
    return render(request, "publicity/opendata/enter.html", {"form": form})
