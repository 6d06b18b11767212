"""Helpers for the thin HTML views: run a service from a bound form and show its errors on the form; the version
every workflow form carries; the upload form every import page shares, and the running of an import; the whole
numbers links send."""

from collections.abc import Callable, Sequence
from typing import BinaryIO, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.core.tables import Column, Imported, ImportRejected, RowError, file_format_of

T = TypeVar("T")


def version_field(noun) -> forms.IntegerField:
    """The version of the record the user saw (hidden), so that two people acting at once get a conflict rather than
    a silent overwrite; `noun` names the record in the message when it is missing."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": format_lazy(_("缺少版本号（version）：请提交您看到的{}版本，以免覆盖他人的修改。"), noun)
        },
    )


class RecordForm(forms.Form):
    """A workflow step's form: the version the user saw, and the record the step is taken on (`record`)."""

    version = version_field(_("记录"))

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_service(form: forms.Form, call: Callable[[dict], T]) -> T | None:
    """Validate `form`, then call the service with its cleaned data; None (with errors on the form) on failure."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


class ImportForm(forms.Form):
    """A CSV or XLSX file to import into one of `agencies` (those the user may import into; their own first)."""

    agency = forms.ModelChoiceField(label=_("导入机关"), queryset=None)
    file = forms.FileField(label=_("文件"), help_text=_("CSV（UTF-8 或 GB18030 编码）或 XLSX，第一行为表头"))

    def __init__(self, *args, agencies, initial_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].initial = initial_agency


def run_import(form: forms.Form, call: Callable[..., T]) -> tuple[T | None, list[RowError]]:
    """Validate an ImportForm and call the import with `agency`, `source` and `file_format`: (what it did, []), or
    (None, every problem of the file by line and column), or (None, []) with the errors on the form."""
    if not form.is_valid():
        return None, []
    try:
        return call(agency=form.cleaned_data["agency"], **uploaded(form.cleaned_data["file"])), []
    except ImportRejected as error:
        return None, error.rows
    except ValidationError as error:
        apply_validation_error(form, error)
        return None, []


def import_page(
    request,
    *,
    agencies,
    run: Callable[..., Imported],
    title: str,
    columns: Sequence[Column],
    done: str,
    refused: str,
    notes: Sequence[str] = (),
) -> HttpResponse:
    """The page of an import into one of `agencies` (403 with `refused` when there is none): every problem of the
    file listed by line and column with nothing saved (400), or what was imported and on to `done`."""
    if not agencies.exists():
        raise PermissionDenied(refused)
    form = ImportForm(
        request.POST or None, request.FILES or None, agencies=agencies, initial_agency=request.user.agency
    )
    problems = []
    if request.method == "POST":
        result, problems = run_import(form, lambda **upload: run(actor=request.user, **upload))
        if result:
            counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            messages.success(
                request,
                gettext("导入完成：新增 %(created)d 条，更新 %(updated)d 条，%(unchanged)d 条无变化。") % counts,
            )
            return redirect(done)
    context = {"form": form, "problems": problems, "title": title, "columns": columns, "notes": notes}
    return render(request, "import.html", context, status=400 if problems else 200)


def uploaded(upload) -> dict[str, BinaryIO | str]:
    """An uploaded file as an import reads it: its bytes from the start, and its format by its name."""
    upload.seek(0)
    return {"source": upload.file, "file_format": file_format_of(upload.name)}


def report_form_errors(request, form: forms.Form) -> None:
    """For actions posted from a page that redirects back: show the form's errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO 8601 (2026-12-05): the zh-hans format Django would send
    (2026/12/05) is one the browser's date input rejects, so a default or a re-shown value would vanish."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker, valued in the ISO form it accepts (2026-12-05T09:30)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


KEY_MAX = 2**63 - 1  # the largest id either database holds


def key_param(value: str) -> int | None:
    """A whole number a link sends (an id, a keyset page's `before`, a year): in ASCII digits and no larger than a
    key can be, else None — "²" is a digit to Python, and a number past 2^63 one to no database."""
    if value.isascii() and value.isdigit() and int(value) <= KEY_MAX:
        return int(value)
    return None
