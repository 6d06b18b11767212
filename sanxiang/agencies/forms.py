from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import (
    DECISION_DETAILS,
    Agency,
    AgencyLevel,
    EnforcementDomain,
    ExamResult,
    ReviewPost,
    Role,
    ServiceWindow,
    TrainingKind,
)
from sanxiang.core.forms import DateInput

DATE = DateInput()


class AgencyForm(forms.ModelForm):
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["name", "abbreviation", "address", "phone", "website", "is_active"]


class DecisionDetailsForm(forms.ModelForm):
    """复议机关、管辖法院和缴款途径: what every decision of the agency names (《行政处罚法》第五十九条、第六十七条)."""

    class Meta:
        model = Agency
        fields = list(DECISION_DETAILS)
        widgets = {"payment_online": forms.Textarea(attrs={"rows": 2})}


class AgencyCreateForm(forms.ModelForm):
    level = forms.ChoiceField(label=_("层级"), choices=[(AgencyLevel.CITY, _("市级")), (AgencyLevel.COUNTY, _("县级"))])
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["code", "name", "abbreviation", "level", "uscc", "address", "phone", "website"]


class ServiceWindowForm(forms.ModelForm):
    class Meta:
        model = ServiceWindow
        fields = [
            "name",
            "location",
            "opening_hours",
            "posts",
            "sample_forms",
            "progress_query",
            "consultation",
            "complaint",
            "order",
        ]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或账号"), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部"))] + Role.choices, required=False)


class ReviewerFields(forms.Form):
    """What makes a staff member a qualified legal reviewer (《行政处罚法》第五十八条)."""

    has_legal_qualification = forms.BooleanField(label=_("具有法律职业资格"), required=False)
    legal_qualification_number = forms.CharField(label=_("法律职业资格证书编号"), max_length=40, required=False)
    review_post = forms.ChoiceField(label=_("法制审核身份"), choices=[("", "—")] + ReviewPost.choices, required=False)
    reviewing_since = forms.DateField(label=_("开始从事法制审核的日期"), required=False, widget=DateInput())


class StaffCreateForm(ReviewerFields):
    field_order = ["username", "full_name", "job_title", "email", "roles"]

    username = forms.CharField(label=_("账号"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    job_title = forms.CharField(label=_("职务"), max_length=50, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=_("至少 10 位，不要使用常见密码")
    )


class StaffEditForm(ReviewerFields):
    field_order = ["full_name", "job_title", "email"]

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    job_title = forms.CharField(label=_("职务"), max_length=50, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)


class OtpReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        help_text=_("记入操作记录，如“新开账号”“手机遗失”；不要填写个人信息"),
    )


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("证号或姓名"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部")),
            ("valid", _("有效")),
            ("expired", _("已过期")),
            ("suspended", _("暂扣")),
            ("revoked", _("吊销")),
        ],
    )


class CertificateIssueForm(forms.Form):
    number = forms.CharField(label=_("证件编号"), max_length=30)
    domain = forms.ChoiceField(label=_("执法领域"), choices=EnforcementDomain.choices)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RenewForm(forms.Form):
    expires_on = forms.DateField(label=_("新的有效期至"), widget=DATE)
    reason = forms.CharField(label=_("说明"), max_length=300, required=False)


class TrainingRecordForm(forms.Form):
    """培训记录: one course an officer attended."""

    course = forms.CharField(label=_("培训名称"), max_length=200)
    organiser = forms.CharField(label=_("主办单位"), max_length=100)
    kind = forms.ChoiceField(label=_("培训类别"), choices=TrainingKind.choices)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE, help_text=_("学时计入结束日期所在年度"))
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1, min_value=Decimal("0.5"))
    exam_result = forms.ChoiceField(label=_("考试结果"), choices=ExamResult.choices, initial=ExamResult.NONE)
    exam_score = forms.DecimalField(
        label=_("考试成绩"), max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False
    )
    certificate_number = forms.CharField(label=_("结业证书或培训记录编号"), max_length=60, required=False)
    evidence_note = forms.CharField(
        label=_("佐证材料"), max_length=300, required=False, help_text=_("如：签到表、结业证书存档位置")
    )


class TrainingFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    below = forms.BooleanField(label=_("只看未达要求的"), required=False)
