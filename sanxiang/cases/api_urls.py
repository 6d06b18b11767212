from django.urls import path

from sanxiang.cases import api, onsite_api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:case_id>/", api.CaseDetailApi.as_view(), name="case-detail"),
    *api.action_patterns(),
    path("parties/", api.PartyListApi.as_view(), name="party-list"),
    path("parties/<int:party_id>/correct", api.PartyCorrectApi.as_view(), name="party-correct"),
    path("onsite-penalties/", onsite_api.OnSitePenaltyApi.as_view(), name="onsite-penalty"),
    path("onsite-penalties/<int:penalty_id>/file/", onsite_api.OnSiteFileApi.as_view(), name="onsite-penalty-file"),
    path(
        "onsite-penalties/<int:penalty_id>/acknowledge/",
        onsite_api.OnSiteAcknowledgeApi.as_view(),
        name="onsite-penalty-acknowledge",
    ),
]
