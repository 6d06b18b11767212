from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from sanxiang.audit.views import EntryApi
from sanxiang.publicity import disclosure_urls, opendata_urls
from sanxiang.web.views import healthz

urlpatterns = [
    path("", include("sanxiang.portal.urls")),
    path("", include("sanxiang.publicity.portal_urls")),
    path("disclosures/", include((disclosure_urls.portal_patterns, "public-disclosures"))),
    path("opendata/", include((opendata_urls.portal_patterns, "opendata"))),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("workbench/", include("sanxiang.web.urls")),
    path("workbench/cases/", include("sanxiang.cases.urls")),
    path("workbench/manage/", include("sanxiang.agencies.urls")),
    path("workbench/audit/", include("sanxiang.audit.urls")),
    path("workbench/documents/", include("sanxiang.documents.urls")),
    path("workbench/evidence/", include("sanxiang.evidence.urls")),
    path("workbench/reviews/", include("sanxiang.review.urls")),
    path("workbench/publicity/", include("sanxiang.publicity.urls")),
    path("workbench/opendata/", include((opendata_urls.workbench_patterns, "opendata-staff"))),
    path("workbench/disclosures/", include((disclosure_urls.workbench_patterns, "disclosures"))),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("ledger/entries/<int:index>", EntryApi.as_view(), name="ledger-entry"),
    path("api/v1/", include("sanxiang.api.urls")),
    path("django-admin/", admin.site.urls),
]
