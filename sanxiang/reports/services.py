"""Writes of the annual report (行政执法统计年报): generate an edition from the shared definitions, edit its
narrative, approve it (head), publish it — each one transaction with its ledger entry, the data's hash in each."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency, AgencyLevel, Role
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline
from sanxiang.core.text import refuse_control_characters
from sanxiang.documents.services import pdf_queued_at_issue
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.reports import figures as figures_module
from sanxiang.reports.definitions import Period
from sanxiang.reports.models import AnnualReport
from sanxiang.reports.narrative import draft_narrative

S = AnnualReport.Status
PREPARERS = {Role.HEAD, Role.PUBLICITY_CLERK}
HEADS = {Role.HEAD}
# 黑环发〔2019〕112号 三(一)3(4): the city bureaus publish, and send to the department; the department's own report
# covers the province. A county branch's acts are counted in its city's report.
REPORTING_LEVELS = (AgencyLevel.PROVINCE, AgencyLevel.CITY)
CITATION = "黑环发〔2019〕112号 三(一)3(4)"
# The plan starts the three systems, and the statistics report, in 2019.
FIRST_YEAR = 2019
NARRATIVE_MAX = 20_000


class ReportMachine(StateMachine):
    def facts(self, record: AnnualReport) -> dict:
        return super().facts(record) | {
            "year": record.year,
            "edition": record.edition,
            "data_sha256": record.data_sha256,
        }


REPORT = ReportMachine(
    model=AnnualReport,
    prefix="annual_report",
    related=("agency",),
    conflict=gettext_lazy("年报已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("年报当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "generate": Move({NEW}, S.DRAFT, gettext_lazy("生成年报"), roles=PREPARERS),
        "edit": Move({S.DRAFT}, None, gettext_lazy("修改总体情况说明"), roles=PREPARERS),
        "approve": Move({S.DRAFT}, S.APPROVED, gettext_lazy("审批年报"), roles=HEADS),
        "publish": Move({S.APPROVED}, S.PUBLISHED, gettext_lazy("公开年报"), roles=PREPARERS),
        "supersede": Move({S.DRAFT, S.APPROVED, S.PUBLISHED}, S.SUPERSEDED, gettext_lazy("以新版本取代")),
    },
)
LEDGER_ACTIONS = REPORT.labels()


def due_on(agency: Agency, year: int) -> dt.date:
    """The last day to publish `year`'s report (rule reports.due_days, from 31 December)."""
    return deadline("reports.due_days", dt.date(year, 12, 31), agency).date


def _own_agency(actor, agency: Agency) -> None:
    # A report speaks for its agency: prepared and approved there or above, never by a branch below it.
    if actor is not None and not actor.is_superuser and (actor.agency is None or not agency.is_within(actor.agency)):
        raise PermissionDenied(_("只有本机关或上级机关的人员可以办理本机关的年报。"))


def _fresh(report: AnnualReport) -> tuple[dict, str]:
    values = figures_module.compute([report.agency.path], Period.year(report.year))
    return values, figures_module.digest(values)


def _refuse_if_changed(report: AnnualReport, message: str) -> None:
    _values, digest = _fresh(report)
    if digest != report.data_sha256:
        raise RuleViolation(message, code="data_changed", citation=CITATION)


def report_generate(*, actor, agency: Agency, year: int, today: dt.date | None = None) -> AnnualReport:
    """Compute `year`'s figures for `agency` and keep them as a new draft edition; the current edition, if its
    data has since changed, is superseded in the same transaction."""
    today = today or timezone.localdate()
    REPORT.require(actor, agency, "generate")
    _own_agency(actor, agency)
    if agency.level not in REPORTING_LEVELS:
        raise RuleViolation(
            _("县级分局的执法数据计入所属市（地）生态环境部门的年报，不单独生成。"),
            code="not_reporting_level",
            citation=CITATION,
        )
    if year < FIRST_YEAR:
        raise ValidationError(_("统计年报自%(first)d年度起生成。") % {"first": FIRST_YEAR}, code="year_before_reports")
    if year >= today.year:
        raise ValidationError(
            _("%(year)d年度尚未结束，不能生成年报；年度结束后（%(next)d年1月1日起）方可生成，当年数据可在预览中查看。")
            % {"year": year, "next": year + 1},
            code="year_not_ended",
        )
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)  # one generation at a time per agency
        current = AnnualReport.objects.filter(agency=agency, year=year).current().first()
        values = figures_module.compute([agency.path], Period.year(year))
        digest = figures_module.digest(values)
        edition, narrative = 1, ""
        if current is not None:
            if current.data_sha256 == digest:
                raise ValidationError(
                    _("数据与现行第%(edition)d版相同，无需生成新版本。") % {"edition": current.edition},
                    code="data_unchanged",
                )
            locked = REPORT.lock(current, "supersede")
            REPORT.commit(actor, locked, "supersede", {"by_data_sha256": digest})
            edition, narrative = current.edition + 1, current.narrative
        report = AnnualReport(
            agency=agency,
            year=year,
            edition=edition,
            figures=values,
            data_sha256=digest,
            definitions_version=figures_module.DEFINITIONS_VERSION,
            narrative=narrative or draft_narrative(agency, year, values),
            generated_at=timezone.now(),
            generated_by=actor,
        )
        REPORT.start(report, "generate")
        REPORT.commit(actor, report, "generate")
    return report


def report_edit(*, actor, report: AnnualReport, narrative: str, version: int) -> AnnualReport:
    """Change the narrative (总体情况说明) of a draft; the figures stay as generated."""
    narrative = narrative.strip()
    refuse_control_characters({"narrative": narrative})
    if not narrative:
        raise ValidationError({"narrative": _("请填写总体情况说明。")}, code="required")
    if len(narrative) > NARRATIVE_MAX:
        raise ValidationError({"narrative": _("总体情况说明过长（最多 %d 字）。") % NARRATIVE_MAX}, code="max_length")
    _own_agency(actor, report.agency)
    with transaction.atomic():
        locked = REPORT.lock(report, "edit", version=version)
        locked.narrative = narrative
        REPORT.commit(actor, locked, "edit")
    return locked


def report_approve(*, actor, report: AnnualReport, version: int) -> AnnualReport:
    """The head approves the draft, provided the data still hashes to what was generated."""
    _own_agency(actor, report.agency)
    with transaction.atomic():
        locked = REPORT.lock(report, "approve", version=version)
        REPORT.require(actor, locked.agency, "approve")
        _refuse_if_changed(locked, _("年报生成后执法数据已变化（数据哈希不一致），请重新生成新版本后再审批"))
        locked.approved_at, locked.approved_by = timezone.now(), actor
        REPORT.commit(actor, locked, "approve")
    return locked


def report_publish(*, actor, report: AnnualReport, version: int, today: dt.date | None = None) -> AnnualReport:
    """Publish the approved report on the portal (PDF, CSV, XLSX), if its data has not changed since approval; the
    public ledger entry carries the data's hash and whether it was on time."""
    today = today or timezone.localdate()
    _own_agency(actor, report.agency)
    with transaction.atomic():
        locked = REPORT.lock(report, "publish", version=version)
        REPORT.require(actor, locked.agency, "publish")
        _refuse_if_changed(locked, _("年报批准后执法数据已变化（数据哈希不一致），须生成新版本并重新审批后公开"))
        locked.published_at = timezone.now()
        due = due_on(locked.agency, locked.year)
        REPORT.commit(actor, locked, "publish", {"due_on": due.isoformat(), "on_time": today <= due}, public=True)
        if pdf_queued_at_issue():
            transaction.on_commit(lambda: _queue_pdf(locked), robust=True)
    return locked


def _queue_pdf(report: AnnualReport) -> None:
    from sanxiang.reports.rendering import report_pdf_queue  # rendering reads the selectors, which read this module

    report_pdf_queue(report)
