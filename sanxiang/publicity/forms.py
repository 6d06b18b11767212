"""Input forms of the publication actions; the workbench renders them and API v1 validates request bodies with them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.forms import TEXT
from sanxiang.core.forms import DateInput, version_field
from sanxiang.publicity import redaction
from sanxiang.publicity.models import Kind, Topic

HAND_KINDS = [(kind, redaction.KINDS[kind]) for kind in ("secret", "manual", "name", "address", "bank_account")]


class PublicationForm(forms.Form):
    """Every form carries the version the clerk saw, so two people saving at once get a conflict, not a silent
    overwrite of each other's masks."""

    version = version_field(_("公示记录"))

    def __init__(self, *args, publication=None, draft=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.publication, self.draft = publication, draft


class RedactForm(PublicationForm):
    """The masks of the waiting version: the suggested ones kept or dropped, doubtful finds added, and passages
    typed by hand (a commercial secret, a name the detector missed) masked wherever they occur."""

    keep = forms.MultipleChoiceField(label=_("保留的遮盖"), required=False, widget=forms.CheckboxSelectMultiple)
    add = forms.MultipleChoiceField(label=_("加入遮盖的存疑内容"), required=False, widget=forms.CheckboxSelectMultiple)
    phrases = forms.CharField(
        label=_("另行遮盖的文字（每行一项，原文中各处出现均遮盖）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phrase_kind = forms.ChoiceField(label=_("另行遮盖的类别"), choices=HAND_KINDS, initial="secret", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.draft is not None:
            self.fields["keep"].choices = [(str(i), self._label(span)) for i, span in enumerate(self.draft.masks)]
            self.fields["add"].choices = [(str(i), self._label(span)) for i, span in enumerate(self.draft.warnings)]
            self.initial.setdefault("keep", [str(i) for i in range(len(self.draft.masks))])

    def _label(self, span: dict) -> str:
        passage = self.draft.original[span["start"] : span["end"]]
        note = f"（{span['note']}）" if span.get("note") else ""
        return f"{redaction.KINDS.get(span['kind'], span['kind'])}：{passage}{note}"

    def clean(self):
        data = super().clean()
        if self.draft is None:
            raise forms.ValidationError(_("该公示记录没有待遮盖处理的版本。"), code="no_draft")
        masks = [self.draft.masks[int(i)] for i in data.get("keep", [])]
        masks += [self.draft.warnings[int(i)] | {"sure": True} for i in data.get("add", [])]
        for phrase in filter(None, (line.strip() for line in data.get("phrases", "").splitlines())):
            found = redaction.occurrences(self.draft.original, phrase, data.get("phrase_kind") or "secret")
            if not found:
                self.add_error("phrases", _("原文中找不到“%(phrase)s”。") % {"phrase": phrase})
            masks += [span.as_dict() for span in found]
        data["masks"] = masks
        return data


class ConfirmForm(PublicationForm):
    pass


class PublishForm(PublicationForm):
    pass


# The 双公示 items a correction may change besides the full text (the rest follow the record itself).
CORRECTABLE = ("违法事实", "处罚依据", "处罚内容", "执法结论", "许可内容", "有效期至")


class CorrectForm(PublicationForm):
    original = forms.CharField(label=_("更正后的决定全文"), widget=forms.Textarea(attrs={"rows": 12}))
    reason = forms.CharField(label=_("更正理由（将随更正一并公开）"), widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.publication is not None:
            latest = self.publication.versions.order_by("-number").first()
            self.initial.setdefault("original", latest.original if latest else "")
            for item in CORRECTABLE:
                if item in self.publication.summary:
                    self.fields[item] = forms.CharField(label=item, required=False, widget=TEXT)
                    self.initial.setdefault(item, self.publication.summary[item])

    def clean(self):
        """The corrected 双公示 items gathered as `summary` (those left empty keep their value)."""
        data = super().clean()
        data["summary"] = {item: data[item] for item in CORRECTABLE if item in self.fields and data.get(item)}
        return data


class ReasonForm(PublicationForm):
    reason = forms.CharField(label=_("理由"), widget=TEXT)


class WithholdForm(ReasonForm):
    reason = forms.CharField(
        label=_("不予网上公开的理由（未成年人案件，或主要事实涉及国家秘密、商业秘密）"), widget=TEXT
    )


class EndForm(ReasonForm):
    reason = forms.CharField(label=_("停止公示的原因（如信用修复决定书文号）"), widget=TEXT)


class WithdrawForm(PublicationForm):
    changed_on = forms.DateField(label=_("决定被变更、撤销、确认违法或无效之日"), widget=DateInput())
    reason = forms.CharField(label=_("撤回原因（将公开说明）"), widget=TEXT)


class SubscriptionForm(forms.Form):
    """订阅: an e-mail address and what it follows — an enterprise by its 统一社会信用代码, an agency by its code, or a
    kind of decision chosen by its Chinese name (the portal's form and the public API's body, where `target` may
    also carry the kind's code; the service checks the code)."""

    email = forms.EmailField(
        label=_("电子邮箱"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    topic = forms.ChoiceField(label=_("订阅内容"), choices=Topic.choices)
    target = forms.CharField(
        label=_("统一社会信用代码或机关代码"),
        max_length=20,
        required=False,
        help_text=_("订阅企业：填 18 位统一社会信用代码；订阅机关：填机关代码，如 230100；订阅决定类别：不用填"),
    )
    kind = forms.ChoiceField(
        label=_("决定类别"),
        choices=[("", _("（订阅决定类别时选择）"))] + Kind.choices,
        required=False,
    )

    def clean(self):
        data = super().clean()
        kind = data.pop("kind", "")
        if data.get("topic") == Topic.KIND:
            data["target"] = kind or data.get("target", "")
            if not data["target"]:
                self.add_error("kind", _("请选择决定类别。"))
        elif data.get("topic") and not data.get("target"):
            self.add_error("target", _("请填写统一社会信用代码或机关代码。"))
        return data
