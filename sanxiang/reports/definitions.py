"""What the annual report (行政执法统计年报) and the dashboards count: one definition per figure, shared by both so
that they never disagree. Each measure names the records it counts, so every number can be drilled down to them.

A measure is the records of one model in an agency's scope (the agency and every agency below it: a city bureau's
report covers its county branches), whose date falls in the period, narrowed by a filter; its value is their
number or the sum of one field. A ratio divides two measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency, CertificateStatus, Role
from sanxiang.cases.models import Challenge, PenaltyKind, Seizure
from sanxiang.cases.models.case import Outcome
from sanxiang.cases.models.remedies import WITHDRAWING_OUTCOMES
from sanxiang.inspections.task_models import Task
from sanxiang.licensing.models import Application, Licence, Pause
from sanxiang.publicity.models import Kind as PublicationKind
from sanxiang.publicity.models import Publication
from sanxiang.publicity.selectors import ACCOUNTABLE, ON_TIME
from sanxiang.review.models import Review

COUNT, YUAN, PERSONS, RATE = "件", "元", "人", "%"


@dataclass(frozen=True)
class Period:
    """The days a figure counts: [start, end) — a calendar year, or a month on a dashboard."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


@dataclass(frozen=True)
class Measure:
    key: str
    section: str
    label: str
    model: str  # "app_label.Model"
    agency: str  # the lookup to the record's agency
    when: str  # the date (or time) that puts a record in a period; "" for a state at the period's last day
    where: Q | Callable[[Period], Q] = field(default_factory=Q)
    total: str = ""  # the field summed; "" counts the records
    unit: str = COUNT
    note: str = ""  # how the figure reads the law or the data, shown beside it

    @property
    def records_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def is_datetime(self) -> bool:
        field = self.records_model._meta.get_field(self.when.split("__")[0])
        return isinstance(field, models.DateTimeField)

    def where_for(self, period: Period) -> Q:
        return self.where(period) if callable(self.where) else self.where

    def condition(self, period: Period) -> Q:
        where = self.where_for(period)
        return where & self.within(period) if self.when else where

    def within(self, period: Period) -> Q:
        """The records whose date falls in the period (a datetime by the local day)."""
        start, end = period.start, period.end
        if self.is_datetime:
            zone = timezone.get_current_timezone()
            start = dt.datetime.combine(start, dt.time(), zone)
            end = dt.datetime.combine(end, dt.time(), zone)
        return Q(**{f"{self.when}__gte": start, f"{self.when}__lt": end})

    def scope(self, paths: list[str]) -> Q:
        """The records of the agencies whose path begins with one of `paths` (by their ids: no join to the
        agencies in the scan of the records)."""
        return Q(**{f"{self.agency}_id__in": agency_ids(paths)})

    def records(self, paths: list[str], period: Period) -> models.QuerySet:
        """The records this measure counts: the drill-down list of its number."""
        return self.records_model.objects.filter(self.scope(paths), self.condition(period))


def agency_ids(paths: list[str]) -> list[int]:
    """The agencies whose path begins with one of `paths` (none for no path)."""
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(path__startswith=path)
    return list(Agency.objects.filter(scope).values_list("pk", flat=True))


@dataclass(frozen=True)
class Ratio:
    key: str
    section: str
    label: str
    numerator: str
    denominator: str
    unit: str = RATE
    note: str = ""


def _kind(kind: str) -> Q:
    # The decided kinds are a JSON list of codes; the quoted code matches one element on both engines (SQLite has
    # no JSON containment lookup).
    return Q(outcome=Outcome.PENALTY, decided_kinds__icontains=f'"{kind}"')


def _valid_at_end(period: Period) -> Q:
    day = period.last_day
    return Q(status=CertificateStatus.VALID, issued_on__lte=day, expires_on__gte=day, holder__is_active=True) & Q(
        holder__role_assignments__role=Role.OFFICER
    )


S_INSPECT, S_LICENCE, S_PENALTY = _("行政检查"), _("行政许可"), _("行政处罚")
S_COERCE, S_REVIEW, S_REMEDY = _("行政强制"), _("听证与法制审核"), _("行政复议与行政诉讼")
S_PUBLISH, S_COMPLAIN, S_STAFF = _("执法公示"), _("投诉"), _("执法人员")

CASE, INSPECTION = "cases.Case", "cases.Inspection"
PENALTIES = Q(outcome=Outcome.PENALTY)

MEASURES: tuple[Measure, ...] = (
    Measure("inspection.onsite", S_INSPECT, _("现场检查"), INSPECTION, "agency", "started_at", unit=_("次")),
    Measure(
        "inspection.random",
        S_INSPECT,
        _("其中：双随机抽查"),
        INSPECTION,
        "agency",
        "started_at",
        Q(task__source=Task.Source.RANDOM),
        unit=_("次"),
    ),
    Measure(
        "inspection.violation",
        S_INSPECT,
        _("发现涉嫌违法行为"),
        INSPECTION,
        "agency",
        "started_at",
        Q(violation_found=True),
        unit=_("次"),
    ),
    Measure("licence.received", S_LICENCE, _("收到许可申请"), "licensing.Application", "agency", "received_on"),
    Measure(
        "licence.granted",
        S_LICENCE,
        _("准予许可"),
        "licensing.Application",
        "agency",
        "decided_on",
        Q(status=Application.Status.GRANTED),
    ),
    Measure(
        "licence.refused",
        S_LICENCE,
        _("不予许可"),
        "licensing.Application",
        "agency",
        "decided_on",
        Q(status=Application.Status.REFUSED),
    ),
    Measure(
        "licence.rejected",
        S_LICENCE,
        _("不予受理"),
        "licensing.Application",
        "agency",
        "closed_on",
        Q(status=Application.Status.REJECTED),
    ),
    Measure(
        "licence.ended",
        S_LICENCE,
        _("撤回、撤销、注销许可"),
        "licensing.Licence",
        "agency",
        "ended_on",
        Q(status__in=[Licence.Status.RECALLED, Licence.Status.REVOKED, Licence.Status.CANCELLED]),
    ),
    Measure("penalty.decided", S_PENALTY, _("作出行政处罚决定（普通程序）"), CASE, "agency", "decided_on", PENALTIES),
    *(
        Measure(f"penalty.kind.{kind}", S_PENALTY, _("其中：%s") % label, CASE, "agency", "decided_on", _kind(kind))
        for kind, label in PenaltyKind.choices
    ),
    Measure(
        "penalty.fine",
        S_PENALTY,
        _("罚款金额"),
        CASE,
        "agency",
        "decided_on",
        PENALTIES,
        total="decided_fine",
        unit=YUAN,
    ),
    Measure(
        "penalty.confiscation",
        S_PENALTY,
        _("没收金额"),
        CASE,
        "agency",
        "decided_on",
        PENALTIES,
        total="decided_confiscation",
        unit=YUAN,
    ),
    Measure("penalty.daily", S_PENALTY, _("按日连续处罚"), "cases.DailyPenalty", "case__agency", "case__decided_on"),
    Measure("penalty.onsite", S_PENALTY, _("简易程序（当场处罚）"), "cases.OnSitePenalty", "agency", "decided_at"),
    Measure(
        "penalty.onsite_fine",
        S_PENALTY,
        _("简易程序罚款金额"),
        "cases.OnSitePenalty",
        "agency",
        "decided_at",
        total="fine",
        unit=YUAN,
    ),
    Measure("penalty.none", S_PENALTY, _("不予行政处罚"), CASE, "agency", "decided_on", Q(outcome=Outcome.NO_PENALTY)),
    Measure(
        "penalty.referral",
        S_PENALTY,
        _("移送司法机关或公安机关"),
        CASE,
        "agency",
        "decided_on",
        Q(outcome=Outcome.REFERRAL),
    ),
    Measure(
        "coercion.seal",
        S_COERCE,
        _("查封"),
        "cases.Seizure",
        "case__agency",
        "started_on",
        Q(kind=Seizure.Kind.SEAL),
    ),
    Measure(
        "coercion.detain",
        S_COERCE,
        _("扣押"),
        "cases.Seizure",
        "case__agency",
        "started_on",
        Q(kind=Seizure.Kind.DETAIN),
    ),
    Measure(
        "coercion.production",
        S_COERCE,
        _("责令限制生产、停产整治"),
        "cases.ProductionMeasure",
        "case__agency",
        "started_on",
    ),
    Measure("coercion.court", S_COERCE, _("申请人民法院强制执行"), CASE, "agency", "court_applied_on"),
    Measure("hearing.penalty", S_REVIEW, _("行政处罚听证"), CASE, "agency", "hearing_held_on"),
    Measure(
        "hearing.licence",
        S_REVIEW,
        _("行政许可听证"),
        "licensing.Pause",
        "application__agency",
        "held_on",
        Q(kind=Pause.Kind.HEARING),
    ),
    Measure("review.closed", S_REVIEW, _("重大执法决定法制审核办结"), "review.Review", "agency", "closed_at"),
    Measure(
        "review.agreed",
        S_REVIEW,
        _("其中：同意"),
        "review.Review",
        "agency",
        "closed_at",
        Q(status=Review.Status.AGREED),
    ),
    Measure(
        "review.overruled",
        S_REVIEW,
        _("其中：经协调不采纳审核意见"),
        "review.Review",
        "agency",
        "closed_at",
        Q(status=Review.Status.OVERRULED),
    ),
    Measure(
        "remedy.reconsideration",
        S_REMEDY,
        _("被申请行政复议"),
        "cases.Challenge",
        "case__agency",
        "filed_on",
        Q(kind=Challenge.Kind.RECONSIDERATION),
    ),
    Measure(
        "remedy.litigation",
        S_REMEDY,
        _("被提起行政诉讼"),
        "cases.Challenge",
        "case__agency",
        "filed_on",
        Q(kind=Challenge.Kind.LITIGATION),
    ),
    Measure(
        "remedy.decided",
        S_REMEDY,
        _("复议、诉讼审结（不含撤回）"),
        "cases.Challenge",
        "case__agency",
        "decided_on",
        Q(outcome__in=[o for o in Challenge.Outcome.values if o != Challenge.Outcome.WITHDRAWN]),
    ),
    Measure(
        "remedy.corrected",
        S_REMEDY,
        _("其中：被变更、撤销、确认违法或无效"),
        "cases.Challenge",
        "case__agency",
        "decided_on",
        Q(outcome__in=list(WITHDRAWING_OUTCOMES)),
    ),
    Measure(
        "publication.due",
        S_PUBLISH,
        _("应公示的执法决定"),
        "publicity.Publication",
        "agency",
        "decided_on",
        lambda period: ACCOUNTABLE & (Q(due_on__lt=timezone.localdate()) | Q(published_on__isnull=False)),
        note=_("本平台作出或录入的决定，已到公示期限或已公示；外部系统导入的、依法不予公开的不计"),
    ),
    Measure(
        "publication.on_time",
        S_PUBLISH,
        _("其中：按期公示"),
        "publicity.Publication",
        "agency",
        "decided_on",
        ACCOUNTABLE & ON_TIME,
    ),
    Measure(
        "publication.missing",
        S_PUBLISH,
        _("其中：逾期未公示"),
        "publicity.Publication",
        "agency",
        "decided_on",
        lambda period: ACCOUNTABLE & Q(status=Publication.Status.DRAFT, due_on__lt=timezone.localdate()),
    ),
    Measure(
        "publication.withdrawn",
        S_PUBLISH,
        _("撤回已公示的决定"),
        "publicity.Publication",
        "agency",
        "withdrawn_at",
        Q(status=Publication.Status.WITHDRAWN),
    ),
    Measure(
        "publication.licence",
        S_PUBLISH,
        _("公示行政许可决定"),
        "publicity.Publication",
        "agency",
        "published_on",
        Q(kind=PublicationKind.LICENCE),
    ),
    Measure(
        "publication.penalty",
        S_PUBLISH,
        _("公示行政处罚决定"),
        "publicity.Publication",
        "agency",
        "published_on",
        Q(kind=PublicationKind.PENALTY),
    ),
    Measure(
        "complaint.inspection",
        S_COMPLAIN,
        _("企业对行政检查的投诉"),
        "inspections.InspectionComplaint",
        "approval__agency",
        "created_at",
    ),
    Measure(
        "staff.training_records",
        S_STAFF,
        _("参加培训（人次）"),
        "agencies.TrainingRecord",
        "agency",
        "ended_on",
        Q(withdrawn_at__isnull=True),
        unit=_("人次"),
        note=_("按培训结束日期计入年度；撤回的记录不计"),
    ),
    Measure(
        "staff.training_hours",
        S_STAFF,
        _("培训学时"),
        "agencies.TrainingRecord",
        "agency",
        "ended_on",
        Q(withdrawn_at__isnull=True),
        total="hours",
        unit=_("学时"),
    ),
    Measure(
        "staff.certified",
        S_STAFF,
        _("持有效执法证的执法人员（年末）"),
        "agencies.Certificate",
        "agency",
        "",
        _valid_at_end,
        unit=PERSONS,
        note=_("按执法证统计：发证时所属机关，年末有效"),
    ),
)


@dataclass(frozen=True)
class Derived:
    """A figure read from another app's summary rather than counted here (no drill-down list)."""

    key: str
    section: str
    label: str
    source: str  # the key in the summary
    unit: str = PERSONS
    note: str = ""


# From agencies.training_selectors.training_summary: the officers held to the yearly hours and how they fared.
TRAINING: tuple[Derived, ...] = (
    Derived("staff.officers", S_STAFF, _("应参加培训的执法人员"), "officers"),
    Derived("staff.trained", S_STAFF, _("其中：参加了培训"), "trained"),
    Derived(
        "staff.below_requirement",
        S_STAFF,
        _("其中：未达到年度培训学时要求"),
        "below_requirement",
        note=_("年度培训学时要求见本机关的规则设置（默认每人每年60学时）"),
    ),
    Derived("staff.exams_passed", S_STAFF, _("培训考试合格（人次）"), "exams_passed", unit=_("人次")),
)

RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "remedy.correction_rate",
        S_REMEDY,
        _("被纠错率"),
        "remedy.corrected",
        "remedy.decided",
        note=_("被变更、撤销、确认违法或无效的件数 ÷ 审结件数（不含申请人撤回）"),
    ),
    Ratio("publication.on_time_rate", S_PUBLISH, _("按期公示率"), "publication.on_time", "publication.due"),
    Ratio("review.agreed_rate", S_REVIEW, _("法制审核同意率"), "review.agreed", "review.closed"),
)

BY_KEY: dict[str, Measure] = {measure.key: measure for measure in MEASURES}
RATIO_BY_KEY: dict[str, Ratio] = {ratio.key: ratio for ratio in RATIOS}
SECTIONS = (S_INSPECT, S_LICENCE, S_PENALTY, S_COERCE, S_REVIEW, S_REMEDY, S_PUBLISH, S_COMPLAIN, S_STAFF)
