from django.urls import path

from sanxiang.publicity import api
from sanxiang.publicity.views import opendata

urlpatterns = [
    path("publications/", api.DeskApi.as_view(), name="publication-desk"),
    path("publications/<int:publication_id>/", api.PublicationDetailApi.as_view(), name="publication-detail"),
    *api.action_patterns(),
    path("public/decisions", api.DecisionSearchApi.as_view(), name="public-decisions"),
    path("public/decisions/<int:publication_id>", api.DecisionDetailApi.as_view(), name="public-decision"),
    path("public/compliance", api.ComplianceApi.as_view(), name="public-compliance"),
    path("publicity/export", opendata.ExportApi.as_view(), name="publicity-export"),
    path("publicity/import", opendata.ImportApi.as_view(), name="publicity-import"),
]
