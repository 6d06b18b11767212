from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from sanxiang.api.docs import ApiDocsView
from sanxiang.api.views import TokenObtainApi, TokenRevokeApi
from sanxiang.evidence.api import CaseEvidenceApi
from sanxiang.publicity import opendata_urls

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token", TokenObtainApi.as_view(), name="token-obtain"),
    path("auth/token/revoke", TokenRevokeApi.as_view(), name="token-revoke"),
    path("", include("sanxiang.agencies.api_urls")),
    path("", include("sanxiang.cases.api_urls")),
    path("", include("sanxiang.review.api_urls")),
    path("", include("sanxiang.publicity.api_urls")),
    path("publicity/", include(opendata_urls.api_patterns)),
    path("cases/<int:case_id>/evidence", CaseEvidenceApi.as_view(), name="case-evidence"),
]
