from django.urls import path

from sanxiang.cases import api
from sanxiang.cases.actions import ACTIONS

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:case_id>/", api.CaseDetailApi.as_view(), name="case-detail"),
    *[path(f"cases/<int:case_id>/{name}", api.action_view(name), name=f"case-{name}") for name in ACTIONS],
    path("parties/", api.PartyListApi.as_view(), name="party-list"),
    path("onsite-penalties/", api.OnSitePenaltyApi.as_view(), name="onsite-penalty"),
]
