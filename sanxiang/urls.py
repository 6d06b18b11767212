"""The URL root: every app's pages and its part of API v1 (its api_urls), mounted here and nowhere else."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from sanxiang.audit.views import EntryApi
from sanxiang.publicity import urls as publicity_urls
from sanxiang.web.metrics import metrics
from sanxiang.web.views import favicon, healthz

# API v1, in the order of the apps; every name is in the "api" namespace.
api_v1 = [
    path("", include("sanxiang.api.api_urls")),
    path("", include("sanxiang.agencies.api_urls")),
    path("", include("sanxiang.laws.api_urls")),
    path("", include("sanxiang.powers.api_urls")),
    path("", include("sanxiang.documents.api_urls")),
    path("", include("sanxiang.cases.api_urls")),
    path("", include("sanxiang.evidence.api_urls")),
    path("", include("sanxiang.uploads.api_urls")),
    path("", include("sanxiang.inspections.api_urls")),
    path("", include("sanxiang.inspections.plan_api_urls")),
    path("", include("sanxiang.inspections.approval_api_urls")),
    path("", include("sanxiang.inspections.task_api_urls")),
    path("", include("sanxiang.licensing.api_urls")),
    path("", include("sanxiang.monitoring.api_urls")),
    path("", include("sanxiang.monitoring.clue_api_urls")),
    path("", include("sanxiang.review.api_urls")),
    path("", include("sanxiang.publicity.api_urls")),
    path("", include("sanxiang.disclosures.api_urls")),
    path("", include("sanxiang.reports.api_urls")),
    path("", include("sanxiang.supervision.api_urls")),
    path("", include("sanxiang.exchange.api_urls")),
]

urlpatterns = [
    path("", include("sanxiang.portal.urls")),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("workbench/", include("sanxiang.web.urls")),
    path("workbench/cases/", include("sanxiang.cases.urls")),
    path("workbench/manage/", include("sanxiang.agencies.urls")),
    path("workbench/laws/", include("sanxiang.laws.urls")),
    path("workbench/powers/", include("sanxiang.powers.urls")),
    path("workbench/audit/", include("sanxiang.audit.urls")),
    path("workbench/documents/", include("sanxiang.documents.urls")),
    path("workbench/evidence/", include("sanxiang.evidence.urls")),
    path("workbench/inspections/", include("sanxiang.inspections.urls")),
    path("workbench/plans/", include("sanxiang.inspections.plan_urls")),
    path("workbench/approvals/", include("sanxiang.inspections.approval_urls")),
    path("workbench/tasks/", include("sanxiang.inspections.task_urls")),
    path("workbench/licensing/", include("sanxiang.licensing.urls")),
    path("workbench/monitoring/clues/", include("sanxiang.monitoring.clue_urls")),
    path("workbench/monitoring/", include("sanxiang.monitoring.urls")),
    path("workbench/reviews/", include("sanxiang.review.urls")),
    path("workbench/publicity/", include("sanxiang.publicity.urls")),
    path("workbench/opendata/", include((publicity_urls.opendata_patterns, "opendata-staff"))),
    path("workbench/disclosures/", include("sanxiang.disclosures.urls")),
    path("workbench/reports/", include("sanxiang.reports.urls")),
    path("workbench/supervision/", include("sanxiang.supervision.urls")),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("ledger/entries/<int:index>", EntryApi.as_view(), name="ledger-entry"),
    path("api/v1/", include((api_v1, "api"))),
    path("django-admin/", admin.site.urls),
]

handler400 = "sanxiang.api.errors.bad_request"
handler403 = "sanxiang.api.errors.permission_denied"
handler404 = "sanxiang.api.errors.page_not_found"
handler500 = "sanxiang.api.errors.server_error"
