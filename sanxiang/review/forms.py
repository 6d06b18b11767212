"""Input forms of the review actions; the workbench renders them and API v1 validates request bodies with them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Role, User
from sanxiang.cases.forms import TEXT, OneStaff
from sanxiang.cases.models import CollectiveDiscussion, PenaltyKind
from sanxiang.core.forms import version_field
from sanxiang.powers.models import Power
from sanxiang.review.materials import STATEMENT
from sanxiang.review.models import ITEMS, Coordination, ItemResult, ReviewRule, Round
from sanxiang.review.subjects import subject_of


class ReviewForm(forms.Form):
    """Every review form carries the version the user saw, so two people saving at once get a conflict."""

    version = version_field(_("审核记录"))

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review


class AffirmedFields(forms.Form):
    affirmed = forms.BooleanField(label=STATEMENT, required=False)


class SubmitForm(AffirmedFields):
    """送审 from a case: there is no review yet, so no version to carry."""


class TakeForm(ReviewForm):
    reviewer = OneStaff(label=_("审核人员（负责人指定时选择）"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, review=review, **kwargs)
        if review is not None:
            self.fields["reviewer"].queryset = User.objects.filter(
                is_active=True, role_assignments__role=Role.REVIEWER, agency__code__in=review.agency.lineage
            ).order_by("full_name")


class ExtendForm(ReviewForm):
    reason = forms.CharField(label=_("延长理由"), widget=TEXT)


class OpinionForm(ReviewForm):
    """The nine points, each 符合 / 存在问题 / 不适用 with a comment, then the outcome and the written opinion."""

    outcome = forms.ChoiceField(label=_("审核结论"), choices=Round.Outcome.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("审核意见"), widget=TEXT)
    corrections = forms.CharField(label=_("需要纠正的问题（结论为存在问题时必填）"), widget=TEXT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in ITEMS:
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=label, choices=ItemResult.choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        """The nine points gathered as the service takes them: `items` {code: {result, comment}}."""
        data = super().clean()
        data["items"] = {
            code: {"result": data.get(f"item_{code}", ""), "comment": data.get(f"comment_{code}", "")}
            for code, _label in ITEMS
        }
        return data

    def point_fields(self, code: str) -> dict:
        return {"result_field": self[f"item_{code}"], "comment_field": self[f"comment_{code}"]}

    def closing_fields(self):
        return [self["outcome"], self["corrections"], self["opinion"]]


class ResubmitForm(AffirmedFields, ReviewForm):
    response = forms.CharField(label=_("对审核意见的研究处理情况"), widget=TEXT)


class ContestForm(ReviewForm):
    reason = forms.CharField(label=_("不同意审核意见的理由"), widget=TEXT)


class CoordinateForm(ReviewForm):
    decision = forms.ChoiceField(label=_("协调结果"), choices=Coordination.Decision.choices)
    note = forms.CharField(label=_("协调意见及理由"), widget=TEXT)
    discussion = forms.ModelChoiceField(
        label=_("经负责人集体讨论（可选）"), queryset=CollectiveDiscussion.objects.none(), required=False
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, review=review, **kwargs)
        if review is not None:
            self.fields["discussion"].queryset = subject_of(review).discussions().order_by("-held_on")


class RuleForm(forms.Form):
    """A line of the agency's 法制审核目录清单: its value is an amount or a penalty kind, by its 情形."""

    kind = forms.ChoiceField(label=_("情形"), choices=ReviewRule.Kind.choices)
    amount = forms.IntegerField(
        label=_("金额（元）"), min_value=0, required=False, help_text=_("情形为罚款或没收金额达到某一数额时填写")
    )
    penalty_kind = forms.ChoiceField(
        label=_("处罚种类"),
        choices=[("", "—"), *PenaltyKind.choices],
        required=False,
        help_text=_("情形为处罚种类时选择"),
    )
    description = forms.CharField(label=_("说明"), max_length=200)
    citation = forms.CharField(label=_("依据"), max_length=300, help_text=_("制定该目录的文件及条款"))
    power = forms.ModelChoiceField(
        label=_("执法事项"),
        queryset=Power.objects.none(),
        required=False,
        empty_label=_("不挂接"),
        help_text=_("该目录事项所涉的本机关行政处罚或行政强制事项；情形为“作出该项行政许可决定”时，选择该行政许可事项"),
    )

    def __init__(self, *args, powers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if powers is not None:
            self.fields["power"].queryset = powers

    def clean(self):
        data = super().clean()
        amount, penalty_kind = data.pop("amount", None), data.pop("penalty_kind", "")
        data["value"] = penalty_kind if data.get("kind") == ReviewRule.Kind.PENALTY_KIND else str(amount or "")
        return data
