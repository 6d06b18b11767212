from django.urls import path

from sanxiang.cases import api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:case_id>/", api.CaseDetailApi.as_view(), name="case-detail"),
    *api.action_patterns(),
    path("parties/", api.PartyListApi.as_view(), name="party-list"),
    path("onsite-penalties/", api.OnSitePenaltyApi.as_view(), name="onsite-penalty"),
]
