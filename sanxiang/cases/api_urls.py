from django.urls import path

from sanxiang.cases import api, catalogue_api, directory_api, onsite_api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:case_id>/", api.CaseDetailApi.as_view(), name="case-detail"),
    *api.action_patterns(),
    path("parties/", directory_api.PartyListApi.as_view(), name="party-list"),
    path("parties/import", directory_api.PartyImportApi.as_view(), name="party-import"),
    path("parties/<int:party_id>/", directory_api.PartyDetailApi.as_view(), name="party-detail"),
    path("parties/<int:party_id>/correct", directory_api.PartyCorrectApi.as_view(), name="party-correct"),
    path("powers/<int:power_id>/violations", directory_api.PowerViolationsApi.as_view(), name="power-violations"),
    path("violations/", catalogue_api.ViolationListApi.as_view(), name="violation-list"),
    path("violations/<int:violation_id>/", catalogue_api.ViolationDetailApi.as_view(), name="violation-detail"),
    path("violations/<int:violation_id>/update", catalogue_api.ViolationUpdateApi.as_view(), name="violation-update"),
    path(
        "agencies/<int:agency_id>/discretion-factors/",
        catalogue_api.FactorListApi.as_view(),
        name="discretion-factor-list",
    ),
    path(
        "agencies/<int:agency_id>/discretion-factors/<int:factor_id>/update",
        catalogue_api.FactorUpdateApi.as_view(),
        name="discretion-factor-update",
    ),
    path(
        "agencies/<int:agency_id>/discretion-factors/<int:factor_id>/remove",
        catalogue_api.FactorRemoveApi.as_view(),
        name="discretion-factor-remove",
    ),
    path("onsite-penalties/", onsite_api.OnSitePenaltyApi.as_view(), name="onsite-penalty"),
    path("onsite-penalties/<int:penalty_id>/file/", onsite_api.OnSiteFileApi.as_view(), name="onsite-penalty-file"),
    path(
        "onsite-penalties/<int:penalty_id>/acknowledge/",
        onsite_api.OnSiteAcknowledgeApi.as_view(),
        name="onsite-penalty-acknowledge",
    ),
]
