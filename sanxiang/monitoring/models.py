"""在线监控 (online monitoring): the monitoring points of an enterprise's outlets, the devices that send their data
over HJ 212-2017 with the review 《行政处罚法》第四十一条 requires, the permit's limits, the enterprise's marks under
《污染物排放自动监测设备标记规则》, the raw packets kept in hourly segments, the values read from them, and the
packets refused."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Party


class Medium(models.TextChoices):
    AIR = "air", _("废气")
    WATER = "water", _("废水")


class Averaging(models.TextChoices):
    """The period a value or a limit is for (HJ 212-2017: 2011 实时, 2051 分钟, 2061 小时, 2031 日)."""

    RTD = "rtd", _("实时值")
    MINUTE = "minute", _("分钟均值")
    HOUR = "hour", _("小时均值")
    DAY = "day", _("日均值")


class PointQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Point(models.Model):
    """监测点位 — an outlet of an enterprise (排放口) that an automatic monitoring device watches, supervised by
    `agency`. Its location is published (第四十一条第一款) from `location_published_on`."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="monitoring_points", verbose_name=_("监管机关")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="monitoring_points", verbose_name=_("排污单位")
    )
    outlet_code = models.CharField(_("排放口编号"), max_length=20, help_text=_("如 DA001、DW001"))
    name = models.CharField(_("点位名称"), max_length=100)
    medium = models.CharField(_("类别"), max_length=8, choices=Medium.choices)
    address = models.CharField(_("设置地点"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    location_published_on = models.DateField(_("设置地点公布日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        verbose_name = _("监测点位")
        verbose_name_plural = _("监测点位")
        ordering = ["party_id", "outlet_code"]
        constraints = [models.UniqueConstraint(fields=["party", "outlet_code"], name="point_party_outlet")]

    def __str__(self) -> str:
        return f"{self.party.name} {self.outlet_code} {self.name}"


class Device(models.Model):
    """自动监测设备 — the data acquisition unit (数采仪) of a point, known by its MN and password, and its legal and
    technical review (法制和技术审核, 第四十一条第一款): data of a device without a passed review is never used to
    find a violation."""

    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="devices", verbose_name=_("监测点位"))
    mn = models.CharField(_("设备唯一标识（MN）"), max_length=24, unique=True)
    # PW travels in clear in every packet; the SHA-256 keeps a copy of the database from giving it away.
    password_sha256 = models.CharField(_("访问密码摘要"), max_length=64)
    maker = models.CharField(_("生产厂家"), max_length=100, blank=True)
    model = models.CharField(_("型号"), max_length=100, blank=True)
    installed_on = models.DateField(_("安装日期"))
    review_passed_on = models.DateField(_("审核通过日期"), null=True, blank=True)
    review_reference = models.CharField(_("审核（验收）文件"), max_length=120, blank=True)
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("自动监测设备")
        verbose_name_plural = _("自动监测设备")
        ordering = ["point_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_passed_on__isnull=True) | ~models.Q(review_reference=""),
                name="device_review_has_reference",
            )
        ]

    def __str__(self) -> str:
        return self.mn


class Limit(models.Model):
    """排放限值 — what the permit allows a pollutant at a point, averaged over an hour or a day, with its source
    (the permit's number and the standard's table)."""

    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="limits", verbose_name=_("监测点位"))
    pollutant = models.CharField(_("污染物编码"), max_length=8)
    averaging = models.CharField(
        _("均值周期"),
        max_length=8,
        choices=[(Averaging.HOUR, Averaging.HOUR.label), (Averaging.DAY, Averaging.DAY.label)],
    )
    value = models.DecimalField(_("限值"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=16)
    source = models.CharField(_("限值依据"), max_length=300)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("排放限值")
        verbose_name_plural = _("排放限值")
        ordering = ["point_id", "pollutant", "averaging", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["point", "pollutant", "averaging", "valid_from"], name="limit_from"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="limit_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="limit_period",
            ),
        ]


class Mark(models.Model):
    """标记 — a period the enterprise marked under 《污染物排放自动监测设备标记规则》 (停运, 检修, 启停, 校准, …): data
    of the period is not used to find an exceedance."""

    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="marks", verbose_name=_("监测点位"))
    kind = models.CharField(_("标记类型"), max_length=16)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("标记说明"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据标记")
        verbose_name_plural = _("数据标记")
        ordering = ["point_id", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="mark_period")
        ]
        indexes = [models.Index(fields=["point", "starts_at"], name="mark_point_start")]


class Segment(models.Model):
    """原始报文分段 — the raw packets accepted in one hour (UTC), appended to a file as they arrive and, once the
    hour is over, sealed: hashed, kept in the content-addressed store and its hash ledgered, so that a set of
    packets produced as evidence can be verified byte for byte."""

    hour = models.DateTimeField(_("时段"), unique=True)
    packets = models.PositiveIntegerField(_("报文数"), default=0)
    size = models.BigIntegerField(_("字节数"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("封存时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报文分段")
        verbose_name_plural = _("报文分段")
        ordering = ["hour"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sealed_at__isnull=True, sha256="")
                | models.Q(sealed_at__isnull=False, sha256__regex=r"^[0-9a-f]{64}$"),
                name="segment_sealed_with_hash",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}:00Z"


class Packet(models.Model):
    """报文 — one accepted packet: who sent it, what it carried, where its bytes lie in its segment, and whether the
    device's clock was off when it sent it (QN against the time of receipt)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="packets")
    qn = models.CharField(_("请求编码（QN）"), max_length=20)
    part = models.PositiveSmallIntegerField(_("包号"), default=1)
    cn = models.CharField(_("命令编码（CN）"), max_length=4)
    data_time = models.DateTimeField(_("数据时间"))
    received_at = models.DateTimeField(_("接收时间"))
    skewed = models.BooleanField(_("设备时钟偏差超限"), default=False)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="+")
    offset = models.BigIntegerField(_("段内偏移"))
    length = models.PositiveIntegerField(_("长度"))

    class Meta:
        verbose_name = _("报文")
        verbose_name_plural = _("报文")
        constraints = [models.UniqueConstraint(fields=["device", "qn", "part"], name="packet_once")]
        indexes = [models.Index(fields=["device", "data_time"], name="packet_device_time")]


class Reading(models.Model):
    """监测数据 — one value of one pollutant at one point for one period, as the device sent it (its HJ 212 data
    flag included). On PostgreSQL the table is partitioned by month of `data_time` with a BRIN index on it
    (migration 0002); the primary key (point, pollutant, averaging, time) is the chart's index."""

    pk = models.CompositePrimaryKey("point_id", "pollutant", "averaging", "data_time")
    # No foreign-key constraints or extra indexes on the largest table: the key is the index, devices and points are
    # never deleted (PROTECT elsewhere), and PostgreSQL's partitions keep the writes cheap.
    point = models.ForeignKey(Point, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    device = models.ForeignKey(
        Device, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    pollutant = models.CharField(max_length=8)
    averaging = models.CharField(max_length=8, choices=Averaging.choices)
    data_time = models.DateTimeField()
    value = models.FloatField(null=True)
    minimum = models.FloatField(null=True)
    maximum = models.FloatField(null=True)
    flag = models.CharField(max_length=2, default="N")
    skewed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")


class Quarantined(models.Model):
    """隔离报文 — bytes received that were not a packet the standard allows, or came from an unknown device or with
    a wrong password: kept raw with the reason, counted, answered where they could be, never stored as data."""

    class Reason(models.TextChoices):
        FRAME = "frame", _("包头包尾错误")
        LENGTH = "length", _("长度错误")
        CRC = "crc", _("CRC 校验错误")
        FIELDS = "fields", _("字段格式错误")
        UNKNOWN_MN = "mn", _("未登记的设备")
        PASSWORD = "password", _("访问密码错误")
        RETIRED = "retired", _("设备已停用")
        COMMAND = "command", _("不接收的命令")

    received_at = models.DateTimeField(_("接收时间"))
    peer = models.CharField(_("来源地址"), max_length=64, blank=True)
    reason = models.CharField(_("原因"), max_length=10, choices=Reason.choices)
    detail = models.CharField(_("说明"), max_length=300)
    mn = models.CharField(_("MN"), max_length=24, blank=True)
    qn = models.CharField(_("QN"), max_length=20, blank=True)
    raw = models.BinaryField(_("原始字节"))

    class Meta:
        verbose_name = _("隔离报文")
        verbose_name_plural = _("隔离报文")
        ordering = ["-id"]
        indexes = [models.Index(fields=["reason", "received_at"], name="quarantine_reason_time")]
