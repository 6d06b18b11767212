"""Helpers for the thin HTML views: run a service from a bound form and show its errors on the form."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

T = TypeVar("T")


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
