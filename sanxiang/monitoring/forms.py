"""Forms of the monitoring pages and API: what a keeper types to register a point or a device, record a device's
review, publish a location, set a limit or record a mark, and the choice of a chart's pollutant and period. The
services check everything again."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import DateInput, DateTimeInput
from sanxiang.monitoring import pollutants
from sanxiang.monitoring.mark_kinds import MARK_KIND_CHOICES
from sanxiang.monitoring.models import Averaging, Device, Limit, Mark, Medium, Point

# The chart's periods: a day of minute values; a week or a month of hourly means (a phone cannot show 10,000
# points, and an hour is the period limits are judged on).
PERIODS = {
    "24h": (_("最近 24 小时（分钟值）"), dt.timedelta(hours=24), "minute"),
    "7d": (_("最近 7 天（小时均值）"), dt.timedelta(days=7), "hour"),
    "30d": (_("最近 30 天（小时均值）"), dt.timedelta(days=30), "hour"),
}


def _field(model, name: str, **options):
    return model._meta.get_field(name).formfield(**options)


class PointForm(forms.Form):
    party = forms.ModelChoiceField(label=_("排污单位"), queryset=None)
    outlet_code = _field(Point, "outlet_code")
    name = _field(Point, "name")
    medium = forms.ChoiceField(label=_("类别"), choices=Medium.choices)
    address = _field(Point, "address")
    latitude = _field(Point, "latitude")
    longitude = _field(Point, "longitude")

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties


class DeviceForm(forms.Form):
    mn = _field(Device, "mn")
    password = forms.CharField(label=_("访问密码（PW）"), max_length=9, widget=forms.PasswordInput(render_value=True))
    installed_on = forms.DateField(label=_("安装日期"), widget=DateInput())
    maker = _field(Device, "maker")
    model = _field(Device, "model")


class DeviceReviewForm(forms.Form):
    """第四十一条第一款 法制和技术审核: the date the device passed and the document that says so."""

    device = forms.ModelChoiceField(label=_("设备"), queryset=None)
    passed_on = forms.DateField(label=_("审核通过日期"), widget=DateInput(), initial=timezone.localdate)
    reference = forms.CharField(label=_("审核（验收）文件文号"), max_length=120)

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = devices


class DeviceReviewBody(forms.Form):
    """The same, for the API (the device is in the address)."""

    passed_on = DeviceReviewForm.base_fields["passed_on"]
    reference = DeviceReviewForm.base_fields["reference"]


class DeviceRetireForm(forms.Form):
    device = forms.ModelChoiceField(label=_("设备"), queryset=None)
    retired_on = forms.DateField(label=_("停用日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = devices


class DeviceRetireBody(forms.Form):
    """The same, for the API (the device is in the address)."""

    retired_on = DeviceRetireForm.base_fields["retired_on"]


class PublishLocationForm(forms.Form):
    published_on = forms.DateField(label=_("公布日期"), widget=DateInput(), initial=timezone.localdate)


class LimitForm(forms.Form):
    pollutant = forms.ChoiceField(label=_("污染物"), choices=pollutants.choices())
    averaging = forms.ChoiceField(label=_("均值周期"), choices=Limit._meta.get_field("averaging").choices)
    value = _field(Limit, "value")
    source = _field(Limit, "source", help_text=_("排污许可证编号及执行标准的表号"))
    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, medium: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if medium:
            self.fields["pollutant"].choices = pollutants.choices(medium)
        self.fields["averaging"].initial = Averaging.HOUR


class MarkForm(forms.Form):
    kind = forms.ChoiceField(label=_("标记类型"), choices=MARK_KIND_CHOICES)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    reason = _field(Mark, "reason")


class ChartForm(forms.Form):
    pollutant = forms.ChoiceField(label=_("污染物"), choices=pollutants.choices(), required=False)
    period = forms.ChoiceField(
        label=_("时段"), choices=[(key, label) for key, (label, _span, _bucket) in PERIODS.items()], required=False
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        # in the order offered (those with a limit first)
        labels = dict(pollutants.choices())
        self.fields["pollutant"].choices = [(p.code, labels[p.code]) for p in offered]

    def choice(self, offered) -> tuple[str, str]:
        """The pollutant and period asked for, or the defaults (the first offered, the last 24 hours)."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("pollutant") or offered[0].code, data.get("period") or "24h"


class PointFilter(forms.Form):
    q = forms.CharField(label=_("排污单位或排放口编号"), required=False, max_length=100)
