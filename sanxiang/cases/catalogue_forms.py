"""Forms of the violation catalogue (违法行为目录) and an agency's discretion factors (裁量因素); the services check
everything again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Violation
from sanxiang.cases.services.catalogue import VIOLATION_FIELDS


def _violation_form(name: str, fields: tuple[str, ...], doc: str) -> type[forms.Form]:
    """A form of the catalogue entry's fields as the model labels them, declared on the class (not added per
    instance) so that API v1 documents its body from it too."""
    return type(
        name, (forms.Form,), {"__module__": __name__, "__doc__": doc, **forms.fields_for_model(Violation, fields)}
    )


ViolationForm = _violation_form(
    "ViolationForm",
    VIOLATION_FIELDS,
    "A catalogue entry as it should read; its code stays (cases and ledger entries name it).",
)
ViolationNewForm = _violation_form(
    "ViolationNewForm", ("code", *VIOLATION_FIELDS), "A new catalogue entry, with its code."
)


class FactorForm(forms.Form):
    name = forms.CharField(label=_("裁量因素"), max_length=100)
    violation = forms.ModelChoiceField(
        label=_("适用的违法行为"),
        queryset=Violation.objects.all(),
        required=False,
        empty_label=_("全部违法行为（共性基准）"),
    )
    levels = forms.CharField(
        label=_("情节与权重"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个档次，写作“情节=权重”，权重为百分数，如“一年内再次违法=10”；至少两行。"),
    )
    citation = forms.CharField(label=_("依据"), max_length=200, help_text=_("制定该裁量基准的文件及条款"))

    def clean_levels(self) -> list[tuple[str, int]]:
        levels = []
        for number, line in enumerate(self.cleaned_data["levels"].splitlines(), start=1):
            if not line.strip():
                continue
            label, equals, weight = line.rpartition("=")
            if not equals or not weight.strip().isdigit() or not label.strip():
                raise ValidationError(_("第 %(n)d 行应写作“情节=权重”，权重为 0 到 100 的整数。"), params={"n": number})
            levels.append((label.strip(), int(weight)))
        return levels


class FactorEditForm(FactorForm):
    """A factor keeps the violation it was set for; remove it and add another to change that."""

    violation = None


def levels_text(levels: list[dict]) -> str:
    """A factor's levels as the form writes them, one "情节=权重" a line."""
    return "\n".join(f"{level['label']}={level['weight']}" for level in levels)
