"""Input forms of licensing; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import User
from sanxiang.core.forms import DateInput, RecordForm
from sanxiang.inspections.selectors import inspectors
from sanxiang.licensing.models import Application, Examination, Licence, LicenceType, Pause
from sanxiang.licensing.services import CANCEL_GROUNDS, RECALL_GROUNDS, REJECT_GROUNDS, REVOKE_GROUNDS, SERVICE_METHODS


def _materials_field(label, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=(), required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


def material_choices(licence_type: LicenceType) -> list[tuple[str, str]]:
    return [
        (m.code, f"{m.code} {m.name}" + ("" if m.required else "（视情形提交）")) for m in licence_type.materials.all()
    ]


class ApplicationForm(forms.Form):
    """申请: at the service window or on the portal, for one type."""

    kind = forms.ChoiceField(label=_("申请类别"), choices=Application.Kind.choices, initial=Application.Kind.NEW)
    licence_number = forms.CharField(
        label=_("原许可编号"), max_length=40, required=False, help_text=_("变更、延续时填写。")
    )
    applicant_name = forms.CharField(label=_("申请人名称（姓名）"), max_length=120)
    applicant_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    applicant_id_number = forms.CharField(label=_("身份证号码（公民申请时填写）"), max_length=18, required=False)
    applicant_address = forms.CharField(label=_("住所"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=40)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    project = forms.CharField(label=_("项目名称"), max_length=200)
    request = forms.CharField(label=_("申请事项"), widget=forms.Textarea(attrs={"rows": 3}))
    materials = _materials_field(_("提交的申请材料"))

    def __init__(self, *args, licence_type: LicenceType, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence_type = licence_type
        self.fields["materials"].choices = material_choices(licence_type)
        if not licence_type.renewable:
            self.fields["kind"].choices = [c for c in Application.Kind.choices if c[0] != Application.Kind.RENEWAL]
            self.fields["licence_number"].help_text = _("申请变更时填写。")

    def clean(self):
        data = super().clean()
        data["licence"] = None
        number = (data.get("licence_number") or "").strip()
        if data.get("kind") in (Application.Kind.CHANGE, Application.Kind.RENEWAL):
            data["licence"] = Licence.objects.filter(licence_type=self.licence_type, number=number).first()
            if data["licence"] is None:
                self.add_error("licence_number", _("没有这个许可编号的本事项许可。"))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        keys = ("kind", "licence", "applicant_name", "applicant_uscc", "applicant_id_number", "applicant_address")
        keys += ("contact_name", "phone", "email", "project", "request", "materials")
        return {key: data[key] for key in keys}


class SupplementRequestForm(RecordForm):
    items = _materials_field(_("需要补正的材料"), _("应当一次告知全部需要补正的材料（《行政许可法》第三十二条）。"))
    note = forms.CharField(label=_("补正说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            self.fields["items"].choices = material_choices(record.licence_type)
            given = set(record.materials)
            self.fields["items"].initial = [
                m.code for m in record.licence_type.materials.all() if m.required and m.code not in given
            ]


class SupplementForm(RecordForm):
    materials = _materials_field(_("补正的材料"))

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            choices = dict(material_choices(record.licence_type))
            self.fields["materials"].choices = [(code, choices.get(code, code)) for code in record.supplement_items]


class ConfirmForm(RecordForm):
    """A step with nothing to fill in (受理): the version only."""


class RejectForm(RecordForm):
    ground = forms.ChoiceField(label=_("不予受理的情形"), choices=list(REJECT_GROUNDS.items()))
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


def _officers(agency) -> forms.ModelMultipleChoiceField:
    field = forms.ModelMultipleChoiceField(
        label=_("审查人员"),
        queryset=User.objects.filter(pk__in=inspectors(agency, today=timezone.localdate()).values("holder")),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("现场核查至少两名持有有效执法证的人员（《行政许可法》第三十四条）；其他审查不填即为本人。"),
    )
    field.label_from_instance = lambda user: user.full_name or user.username
    return field


class ExamineForm(RecordForm):
    kind = forms.ChoiceField(label=_("审查方式"), choices=Examination.Kind.choices)
    held_on = forms.DateField(label=_("日期"), widget=DateInput(), required=False)
    findings = forms.CharField(label=_("审查情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            self.fields["officers"] = _officers(record.agency)


class PauseForm(RecordForm):
    kind = forms.ChoiceField(label=_("事由"), choices=Pause.Kind.choices)
    expected_days = forms.IntegerField(label=_("预计所需时间（工作日）"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("说明（将书面告知申请人）"), widget=forms.Textarea(attrs={"rows": 3}))


class ResumeForm(RecordForm):
    held_on = forms.DateField(label=_("举行听证日期（已申请听证的）"), widget=DateInput(), required=False)
    result = forms.CharField(label=_("结果"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(RecordForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class GrantForm(RecordForm):
    content = forms.CharField(label=_("许可内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and record.licence_id:
            self.fields["content"].initial = record.licence.content


class ServeForm(RecordForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=list(SERVICE_METHODS.items()))
    served_on = forms.DateField(label=_("送达日期"), widget=DateInput(), required=False)


def _ground_form(grounds: dict):
    class GroundForm(RecordForm):
        ground = forms.ChoiceField(label=_("法定情形"), choices=list(grounds.items()))
        reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    return GroundForm


RecallForm, RevokeForm, CancelForm = (_ground_form(g) for g in (RECALL_GROUNDS, REVOKE_GROUNDS, CANCEL_GROUNDS))
