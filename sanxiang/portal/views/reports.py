"""行政执法统计年报 on the portal: each agency's published report — narrative, data tables and the data files — with
its data's hash, which the public ledger entry of its publication carries as well."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sanxiang.reports import selectors
from sanxiang.reports.views import data_file


@login_not_required
@require_GET
def index(request):
    latest: dict = {}
    for report in selectors.published_reports():
        latest.setdefault((report.year, report.agency_id), report)
    years = [(year, list(rows)) for year, rows in groupby(latest.values(), key=lambda report: report.year)]
    return render(request, "portal/reports/index.html", {"years": years})


@login_not_required
@require_GET
def report(request, agency_code: str, year: int):
    report, newer = selectors.published_report(agency_code=agency_code, year=year)
    context = {"report": report, "newer": newer, "sections": selectors.sections(report.figures)}
    return render(request, "portal/reports/report.html", context)


@login_not_required
@require_GET
def download(request, agency_code: str, year: int, fmt: str):
    report, _newer = selectors.published_report(agency_code=agency_code, year=year)
    back = reverse("portal:annual-report", args=[agency_code, year])
    return data_file(request, report, fmt, layout="portal.html", back=back)
