"""The forms of the signature page: one hand signature, or a refusal with the witness's signature. The strokes come
as the JSON text the pad writes into a hidden field; the service checks every number."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanxiang.documents.models import SignerRole

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
