"""Workbench pages of the annual report: the list of the year's reports (with the province's roll-up), one
agency's figures for a year (a preview while the year runs), a report edition with its steps, the records behind
each number, and the data files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.core.actions import action_post
from sanxiang.core.forms import key_param
from sanxiang.documents.views import kept_pdf_response
from sanxiang.ledger.vocabulary import roles_text
from sanxiang.reports import dashboards, exports, figures, rendering, selectors, services
from sanxiang.reports.actions import REPORT_WORKFLOW
from sanxiang.reports.models import AnnualReport


def _year(request, today) -> int:
    choices = selectors.years(today)
    value = key_param(request.GET.get("year", ""))
    if value in choices:
        return value
    # last year's report is the one due, unless the platform holds nothing of last year (its first year runs now)
    start = selectors.first_year() or today.year
    return today.year - 1 if start <= today.year - 1 else today.year


def index(request):
    """The reports of a year for the user's agencies; above the cities, the roll-up with those not submitted."""
    today = timezone.localdate()
    year = _year(request, today)
    agencies = list(selectors.reporting_agencies(request.user))
    current = selectors.current_reports(agencies, year)
    own = request.user.agency
    rollup = None
    if year < today.year and own is not None and own in agencies and len(agencies) > 1:
        rows, totals = selectors.rollup(own, year)
        rollup = {"rows": rows, "sections": selectors.sections(totals), "submitted": sum(r.submitted for r in rows)}
    context = {
        "year": year,
        "years": selectors.years(today),
        "ended": year < today.year,
        "rows": [(agency, current.get(agency.pk), services.due_on(agency, year)) for agency in agencies],
        # a year before the platform's first record is no report missing here
        "before_platform": year < (selectors.first_year() or today.year),
        "rollup": rollup,
        "today": today,
    }
    return render(request, "reports/index.html", context)


def agency_year(request, agency_id: int, year: int):
    """An agency's figures for a year: its current report when there is one, else today's figures (a preview while
    the year runs) and, once it has ended, the step to generate the report."""
    agency = selectors.agency_for_reports(user=request.user, agency_id=agency_id)
    report = selectors.current_report(agency, year)
    if report is not None:
        return redirect("reports:report", report.pk)
    today = timezone.localdate()
    values = selectors.live_figures(agency, year)
    context = {
        "agency": agency,
        "year": year,
        "ended": year < today.year,
        "reporting": agency.level in services.REPORTING_LEVELS,
        "may_generate": services.REPORT.permits(request.user, agency, "generate"),
        "sections": selectors.sections(values),
        "due_on": services.due_on(agency, year),
    }
    return render(request, "reports/preview.html", context)


@require_POST
def generate(request, agency_id: int):
    agency = selectors.agency_for_reports(user=request.user, agency_id=agency_id)
    year = key_param(request.POST.get("year", ""))
    if year is None:
        raise Http404
    try:
        report = services.report_generate(actor=request.user, agency=agency, year=year)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:agency-year", agency.pk, year)
    messages.success(
        request,
        _("已生成第%(edition)d版年报，请核对数据、修改总体情况说明后报负责人审批。") % {"edition": report.edition},
    )
    return redirect("reports:report", report.pk)


def report_detail(request, pk: int, *, bound=None, status: int = 200):
    """One edition: the frozen figures, whether today's data still hashes the same, the narrative and the steps."""
    user = request.user
    report = selectors.report_get_for_user(user=user, report_id=pk)
    live = selectors.live_figures(report.agency, report.year) if report.is_current else None
    changed = live is not None and figures.digest(live) != report.data_sha256
    context = {
        "report": report,
        "sections": selectors.sections(report.figures, None),
        "changed": changed,
        "live_sections": selectors.sections(live, report.figures) if changed else None,
        "editions": AnnualReport.objects.filter(agency=report.agency, year=report.year).order_by("-edition"),
        "due_on": services.due_on(report.agency, report.year),
        "may_generate": changed and services.REPORT.permits(user, report.agency, "generate"),
        "actions": REPORT_WORKFLOW.forms(user, report, initial={"version": report.version}, bound=bound),
        "waiting": [
            (action.label, roles_text(action.roles)) for action in REPORT_WORKFLOW.waiting_on_others(user, report)
        ],
    }
    return render(request, "reports/report.html", context, status=status)


@require_POST
def report_action(request, pk: int, action: str):
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    return action_post(request, REPORT_WORKFLOW, report, action, page=report_detail)


def drill(request, agency_id: int, year: int, key: str):
    """The records a number counts, newest first, each linked to its page."""
    agency = selectors.agency_for_reports(user=request.user, agency_id=agency_id)
    measure, records = selectors.drilldown(agency=agency, year=year, key=key)
    after = request.GET.get("after", "")
    page, following = selectors.page_after(measure, records, after)
    context = {
        "agency": agency,
        "year": year,
        "measure": measure,
        "first": not after,
        "following": following,
        "rows": selectors.rows_of(measure, page),
    }
    return render(request, "reports/drill.html", context)


def download(request, pk: int, fmt: str):
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    return data_file(request, report, fmt, layout="workbench.html", back=reverse("reports:report", args=[report.pk]))


def data_file(request, report: AnnualReport, fmt: str, *, layout: str, back: str) -> HttpResponse:
    """The report as PDF (once published: a draft's narrative still changes), CSV or XLSX, named after the agency,
    year and edition; `layout` and `back` frame the page shown while the PDF is being made."""
    name = f"annual-report-{report.agency.code}-{report.year}-v{report.edition}.{fmt}"
    if fmt == "pdf" and report.published_at is not None:
        return kept_pdf_response(request, lambda: rendering.report_pdf(report), filename=name, layout=layout, back=back)
    if fmt == "csv":
        body, kind = exports.report_csv(report), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, kind = exports.report_xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def dashboard(request):
    """执法数据看板: an agency's (with its branches) year in charts, each with its table; the user's own agency first."""
    today = timezone.localdate()
    agencies = list(selectors.dashboard_agencies(request.user))
    if not agencies:
        raise Http404
    chosen = request.GET.get("agency", "")
    agency = next((a for a in agencies if str(a.pk) == chosen), agencies[0])
    year = _year(request, today) if request.GET.get("year") else today.year
    context = {
        "agency": agency,
        "agencies": agencies,
        "year": year,
        "years": selectors.years(today),
        "board": dashboards.board(agency, year, today),
    }
    return render(request, "reports/dashboard.html", context)
