"""The forms of the signature page: one hand signature, a refusal with the witness's signature, or a correction of
the record. The strokes come as the JSON text the pad writes into a hidden field; the service checks every number."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanxiang.documents.models import Document, SignerRole
from sanxiang.documents.types import doc_type
from sanxiang.documents.types.base import COMMON_FIELDS

MAX_STROKES_TEXT = 200_000  # characters of JSON: well above the points signing.MAX_POINTS allows


class StrokesField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            max_length=MAX_STROKES_TEXT, error_messages={"required": _("请先在签名区域内手写签名。")}, **kwargs
        )

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return json.loads(text) if text else []
        except ValueError:
            raise ValidationError(_("签名笔迹无效，请清除后重新签名。")) from None


class SignatureForm(forms.Form):
    version_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    role = forms.ChoiceField(label=_("签名人身份"))
    name = forms.CharField(label=_("签名人姓名（执法人员不填）"), max_length=60, required=False)
    officer = forms.ModelChoiceField(label=_("执法人员"), queryset=None, required=False)
    strokes = StrokesField()

    def __init__(self, *args, principal: str, officers, **kwargs):
        super().__init__(*args, **kwargs)
        roles = (principal, SignerRole.OFFICER, SignerRole.WITNESS)
        self.fields["role"].choices = [(role, SignerRole(role).label) for role in roles]
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda user: user.full_name or user.username


class RefusalForm(forms.Form):
    version_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(label=_("执法人员注明的情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    witness_name = forms.CharField(label=_("见证人姓名"), max_length=60)
    witness_strokes = StrokesField()


class CorrectionForm(forms.Form):
    """更正: the document's own lines and blocks, filled with the version on the page; what is changed is corrected
    (signatures.document_correct), the rest carried over as it was."""

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        kind = doc_type(document.doc_type)
        names = [name for _label, name in kind.lines if name not in COMMON_FIELDS] + list(kind.blocks)
        for name in dict.fromkeys(names):
            widget = forms.Textarea(attrs={"rows": 3}) if name in kind.blocks else None
            initial = document.values.get(name)
            self.fields[name] = forms.CharField(
                label=kind.label(name), required=False, widget=widget, initial="" if initial is None else str(initial)
            )

    def changes(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value != str(self.document.values.get(name) or "").strip()
        }
