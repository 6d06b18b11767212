"""Licensing's part of API v1 (applications, their steps and progress, licence types, licences)."""

from django.urls import path

from sanxiang.licensing import api, public_api

urlpatterns = [
    path("licensing/types/", api.TypesApi.as_view(), name="licensing-types"),
    path("licensing/applications/", api.ApplicationsApi.as_view(), name="licensing-applications"),
    path(
        "licensing/applications/<int:application_id>/",
        api.ApplicationDetailApi.as_view(),
        name="licensing-application-detail",
    ),
    path("licensing/licences/", api.LicencesApi.as_view(), name="licensing-licences"),
    path("licensing/licences/<int:licence_id>/", api.LicenceDetailApi.as_view(), name="licensing-licence-detail"),
    *api.action_patterns(),
    path(
        "public/licensing/progress/<str:number>",
        public_api.PublicProgressApi.as_view(),
        name="public-licensing-progress",
    ),
    path(
        "public/licensing/guide/<str:agency_code>/", public_api.PublicGuideApi.as_view(), name="public-licensing-guide"
    ),
    path("public/licensing/applications/", public_api.PublicApplyApi.as_view(), name="public-licensing-applications"),
]
