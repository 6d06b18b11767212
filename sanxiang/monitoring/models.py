"""在线监控 (online monitoring): the monitoring points of an enterprise's outlets, the devices that send their data
over HJ 212-2017 with the review 《行政处罚法》第四十一条 requires, the permit's limits, the enterprise's marks under
《污染物排放自动监测设备标记规则》, the raw packets kept in hourly segments, the values read from them, and the
packets refused."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Party
from sanxiang.monitoring.mark_kinds import MARK_KIND_CHOICES


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


class LimitQuerySet(models.QuerySet):
    def in_force(self, day):
        """The limits in force on `day` (detection's SQL, detection._LIMITED, reads them the same way)."""
        return self.filter(valid_from__lte=day).exclude(valid_to__lt=day)


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

    objects = LimitQuerySet.as_manager()

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
    kind = models.CharField(_("标记类型"), max_length=16, choices=MARK_KIND_CHOICES)
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
    # how far the hour's receipts are stored (bytes): past it, packets answered and not yet stored (segments.py)
    applied = models.BigIntegerField(_("已入库位置"), default=0)

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


class HourTotal(models.Model):
    """小时汇总 — one UTC hour of one point's minute values of one pollutant from one device, counted and summed apart
    by what the data itself says (a flag other than N or no value; its packet's clock skewed): what a day's detection
    reads instead of every minute (rollups.py). Derived, never edited: an hour's rows are made again whole."""

    point = models.ForeignKey(Point, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    pollutant = models.CharField(max_length=8)
    hour = models.DateTimeField()
    device = models.ForeignKey(
        Device, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    flagged = models.BooleanField()
    skewed = models.BooleanField()
    count = models.IntegerField()  # values, as COUNT(value): a minute without a value is not one
    total = models.FloatField(null=True)

    class Meta:
        verbose_name = _("小时汇总")
        verbose_name_plural = _("小时汇总")
        constraints = [  # also the index an hour's totals are read and replaced by
            models.UniqueConstraint(
                fields=["hour", "point", "pollutant", "device", "flagged", "skewed"], name="hour_total_once"
            )
        ]


class HourRoll(models.Model):
    """小时汇总状态 — whether an hour's totals are made (`rolled_at`) and still whole: `stale` once minute values of
    the hour are stored after (services.packets_apply marks every hour it stores minute values of)."""

    hour = models.DateTimeField(unique=True)
    rolled_at = models.DateTimeField(null=True)
    stale = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("小时汇总状态")
        verbose_name_plural = _("小时汇总状态")


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


class DetectionRun(models.Model):
    """超标判定记录 — one pass of the detection over a local day: what it checked, what it found, and what it did not
    count and why (数据标记, 无效标志, 时钟偏差, 未经审核的设备), so that an exceedance the rules keep out is seen
    as kept out, never silently missing."""

    day = models.DateField(_("数据日期"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))
    hours_checked = models.PositiveIntegerField(_("核查小时数"), default=0)
    hours_valid = models.PositiveIntegerField(_("有效小时数"), default=0)
    days_valid = models.PositiveIntegerField(_("有效日数"), default=0)
    findings = models.PositiveIntegerField(_("新发现超标"), default=0)
    # Minutes left out by cause ({"flag": n, "mark": n, "skew": n, "device": n}), hours that fell short of the rule's
    # valid minutes by the cause that took most of them, and the periods whose average over every value sent would
    # exceed the limit but whose counted values do not (each with its cause): what the clue list shows.
    excluded_minutes = models.JSONField(_("未计入的分钟数据"), default=dict)
    excluded_hours = models.JSONField(_("无效小时"), default=dict)
    withheld = models.JSONField(_("未认定的疑似超标"), default=list)

    class Meta:
        verbose_name = _("超标判定记录")
        verbose_name_plural = _("超标判定记录")
        ordering = ["-started_at"]


class ExceedanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Exceedance(models.Model):
    """超标线索 — an hourly or daily average of counted values over the permit's limit in force that day: the values,
    the averaging, the limit and its source as they were when found, and the inspection task it became."""

    class Status(models.TextChoices):
        FOUND = "found", _("已发现")
        TASKED = "tasked", _("已转检查任务")
        IN_CASE = "in_case", _("已作为案件证据")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("监管机关"))
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="exceedances", verbose_name=_("监测点位"))
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+", verbose_name=_("监测设备"))
    pollutant = models.CharField(_("污染物编码"), max_length=8)
    averaging = models.CharField(
        _("均值周期"),
        max_length=8,
        choices=[(Averaging.HOUR, Averaging.HOUR.label), (Averaging.DAY, Averaging.DAY.label)],
    )
    period_start = models.DateTimeField(_("时段起"))
    period_end = models.DateTimeField(_("时段止"))
    average = models.DecimalField(_("均值"), max_digits=16, decimal_places=4)
    limit = models.ForeignKey(Limit, on_delete=models.PROTECT, related_name="+", verbose_name=_("排放限值"))
    limit_value = models.DecimalField(_("限值"), max_digits=12, decimal_places=4)
    limit_unit = models.CharField(_("单位"), max_length=16)
    limit_source = models.CharField(_("限值依据"), max_length=300)
    valid_count = models.PositiveIntegerField(
        _("有效数据个数"), help_text=_("小时均值为有效分钟数，日均值为有效小时数")
    )
    excluded = models.JSONField(_("未计入的分钟数据"), default=dict)
    run = models.ForeignKey(DetectionRun, on_delete=models.PROTECT, related_name="exceedances")
    found_at = models.DateTimeField(_("发现时间"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.FOUND)
    task = models.ForeignKey(
        "inspections.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查任务"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("案件")
    )

    objects = ExceedanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("超标线索")
        verbose_name_plural = _("超标线索")
        ordering = ["-period_start", "point_id", "pollutant"]
        constraints = [
            models.UniqueConstraint(fields=["point", "pollutant", "averaging", "period_start"], name="exceedance_once"),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")), name="exceedance_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status="found") | models.Q(task__isnull=False), name="exceedance_tasked_has_task"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "period_start"], name="exceedance_agency_status")]


class CaseSegment(models.Model):
    """案件的报文分段 — a sealed hour of raw packets that holds packets of a case's exceedances, and the evidence item
    it became; an hour not yet sealed waits here until it is (then the worker adds it)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # None: the row of a hash manifest (every version of it), so that the case's monitoring evidence is known whole.
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, related_name="+")
    item = models.ForeignKey("evidence.EvidenceItem", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("案件报文分段")
        verbose_name_plural = _("案件报文分段")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "segment"], condition=models.Q(segment__isnull=False), name="case_segment_once"
            ),
            models.CheckConstraint(
                condition=models.Q(segment__isnull=False) | models.Q(item__isnull=False), name="case_manifest_has_item"
            ),
        ]


class EvidenceCheck(models.Model):
    """第四十一条审核 — what 《行政处罚法》第四十一条 asks before monitoring data may be evidence of a case: the device
    reviewed and its location published (read from the device and the point), the records reviewed by the agency
    (真实、清晰、完整、准确), the party told and invited to state its case. A case whose evidence is only this data
    is not decided before the check is complete."""

    class Status(models.TextChoices):
        OPEN = "open", _("审核中")
        COMPLETE = "complete", _("已完成")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="evidence_check")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    manifest = models.ForeignKey(
        "evidence.EvidenceItem", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("哈希清单")
    )
    records_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("审核人")
    )
    records_reviewed_on = models.DateField(_("记录审核日期"), null=True, blank=True)
    records_conform = models.BooleanField(_("记录符合要求"), null=True)
    records_opinion = models.CharField(_("审核意见"), max_length=300, blank=True)
    party_told_on = models.DateField(_("告知当事人日期"), null=True, blank=True)
    party_told_how = models.CharField(_("告知方式"), max_length=100, blank=True)
    statement_invited_on = models.DateField(_("告知陈述申辩日期"), null=True, blank=True)
    # 当事人查询 (第四十一条第三款): the key of the party's own page of this data, given to the party when it is told;
    # a secret like a password (never ledgered, never listed), 192 random bits
    party_key = models.CharField(_("当事人查询码"), max_length=40, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("第四十一条审核")
        verbose_name_plural = _("第四十一条审核")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party_told_on__isnull=True) | ~models.Q(party_told_how=""),
                name="evidence_check_told_how",
            ),
            models.CheckConstraint(
                condition=models.Q(records_reviewed_on__isnull=True) | models.Q(records_reviewed_by__isnull=False),
                name="evidence_check_reviewer",
            ),
        ]
