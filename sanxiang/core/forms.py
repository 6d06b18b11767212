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
