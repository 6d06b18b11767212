"""The endpoints of API v1 itself: its OpenAPI schema and documentation, and bearer tokens."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from sanxiang.api.docs import ApiDocsView
from sanxiang.api.views import TokenObtainApi, TokenRevokeApi

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token", TokenObtainApi.as_view(), name="token-obtain"),
    path("auth/token/revoke", TokenRevokeApi.as_view(), name="token-revoke"),
]
