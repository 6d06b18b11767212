"""API bodies validated by the workbench's forms, and their OpenAPI description derived from those forms."""

import datetime as dt
import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

# Dates an agency can mean: anything outside is a typo or an attack, and near the ends of Python's dates adding a
# period would overflow.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

_SCALARS = (str, int, float)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def validated(form: forms.Form) -> dict:
    """The form's cleaned data, or a ValidationError naming each field: the JSON types of the body are checked
    against the form's fields first (a form reads strings, as a browser sends them) and dates are kept between
    EARLIEST and LATEST, so that nothing past the boundary meets a value it cannot handle."""
    errors = _type_errors(form)
    if errors:
        raise ValidationError(errors)
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(_within_range)
    if not form.is_valid():
        raise ValidationError(
            {
                "non_field_errors" if field == "__all__" else field: [error["message"] for error in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    return form.cleaned_data


def _type_errors(form: forms.Form) -> dict:
    errors = {}
    for name, field in form.fields.items():
        value = form.data.get(form.add_prefix(name)) if hasattr(form.data, "get") else None
        if value is None:
            continue
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            ok = isinstance(value, list) and all(isinstance(item, _SCALARS) for item in value)
            message = _("应为由编号或代码组成的列表。")
        elif isinstance(field, forms.BooleanField | forms.NullBooleanField):
            ok = isinstance(value, bool | str | int)
            message = _("应为 true 或 false。")
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField | forms.ModelChoiceField):
            ok = isinstance(value, _SCALARS) and not isinstance(value, bool)
            message = _("应为数字。")
        elif isinstance(field, forms.DateField | forms.DateTimeField | forms.TimeField):
            ok = isinstance(value, str) and (value.strip() == "" or _is_iso(field, value.strip()))
            message = _("应为 ISO 8601 格式的日期字符串，如 2026-09-01。")
        else:
            ok = isinstance(value, _SCALARS)
            message = _("应为字符串。")
        if not ok:
            errors[name] = [message]
    return errors


def _is_iso(field: forms.Field, value: str) -> bool:
    """The workbench's fields also read the locale's formats (2026/09/01); an API client writes ISO 8601."""
    parse = {forms.DateField: dt.date.fromisoformat, forms.DateTimeField: dt.datetime.fromisoformat}
    kind = next((kind for kind in parse if isinstance(field, kind)), None)
    if kind is None:
        return True
    if kind is forms.DateField and not ISO_DATE.fullmatch(value):
        return False
    try:
        parse[kind](value)
    except ValueError:
        return False
    return True


def _within_range(value) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("日期应在 %(earliest)s 至 %(latest)s 之间。"),
            code="date_out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


class BoundedDateField(serializers.DateField):
    """A date in a body or query read by a serializer: ISO 8601, between EARLIEST and LATEST."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)
        self.validators.append(_within_range)


_FIELD_TYPES = {
    forms.DateTimeField: serializers.DateTimeField,
    forms.DateField: serializers.DateField,
    forms.DecimalField: serializers.DecimalField,
    forms.IntegerField: serializers.IntegerField,
    forms.BooleanField: serializers.BooleanField,
    forms.ModelMultipleChoiceField: serializers.ListField,
    forms.MultipleChoiceField: serializers.ListField,
    forms.ModelChoiceField: serializers.IntegerField,
}


@functools.cache
def schema_of(form_class) -> type[serializers.Serializer]:
    """A serializer describing a form's fields, for the OpenAPI document only: one per form, named with its app
    (two apps each have a CorrectForm), so the document has one component per form."""
    fields = {}
    for name, field in form_class.base_fields.items():
        kind = next(
            (serializer for base, serializer in _FIELD_TYPES.items() if isinstance(field, base)), serializers.CharField
        )
        options = {"required": field.required, "help_text": _description(field)}
        if kind is serializers.DecimalField:
            options.update(max_digits=field.max_digits or 14, decimal_places=field.decimal_places or 2)
        if kind is serializers.CharField:
            options["allow_blank"] = not field.required  # an optional text is sent empty, as the page sends it
        if kind is serializers.CharField and getattr(field, "max_length", None):
            options["max_length"] = field.max_length
        fields[name] = kind(**options)
    app = form_class.__module__.split(".")[1].title()
    return type(f"{app}{form_class.__name__}Body", (serializers.Serializer,), fields)


def _description(field: forms.Field) -> str:
    """The field's label, how to write its value where the page says so (a factor's levels, one "情节=权重" a line),
    and the codes a choice takes with their names (the page shows the names, the body sends the codes)."""
    words = "：".join(str(text) for text in (field.label, field.help_text) if text)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        codes = "、".join(f"{value}（{label}）" for value, label in field.choices if value != "")
        words += f"；可选值：{codes}"
    return words
