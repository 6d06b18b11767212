"""API bodies validated by the workbench's forms, and their OpenAPI description derived from those forms."""

import functools

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers


def validated(form: forms.Form) -> dict:
    if not form.is_valid():
        raise ValidationError(
            {
                "non_field_errors" if field == "__all__" else field: [error["message"] for error in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    return form.cleaned_data


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
        options = {"required": field.required, "help_text": str(field.label or "")}
        if kind is serializers.DecimalField:
            options.update(max_digits=14, decimal_places=2)
        if kind is serializers.CharField and getattr(field, "max_length", None):
            options["max_length"] = field.max_length
        fields[name] = kind(**options)
    app = form_class.__module__.split(".")[1].title()
    return type(f"{app}{form_class.__name__}Body", (serializers.Serializer,), fields)
