from django.urls import path

from sanxiang.publicity import api
from sanxiang.publicity.actions import ACTIONS

urlpatterns = [
    path("publications/", api.DeskApi.as_view(), name="publication-desk"),
    path("publications/<int:publication_id>/", api.PublicationDetailApi.as_view(), name="publication-detail"),
    *[path(f"publications/<int:publication_id>/{name}", api.action_view(name), name=f"publication-{name}")
      for name in ACTIONS],
    path("public/decisions", api.DecisionSearchApi.as_view(), name="public-decisions"),
    path("public/decisions/<int:publication_id>", api.DecisionDetailApi.as_view(), name="public-decision"),
    path("public/compliance", api.ComplianceApi.as_view(), name="public-compliance"),
    path("public/agencies/<str:code>/disclosures", api.DisclosuresApi.as_view(), name="public-disclosures"),
]
