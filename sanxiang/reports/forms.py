"""Input forms of the annual report; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import RecordForm
from sanxiang.reports.services import NARRATIVE_MAX


class NarrativeForm(RecordForm):
    narrative = forms.CharField(
        label=_("总体情况说明"),
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("数据表由系统按统计口径生成，不能修改；此处写执法工作的总体情况、主要做法、存在问题和下一步打算。"),
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_bound:
            self.initial.setdefault("narrative", record.narrative)


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
