from django.urls import path

from sanxiang.evidence.api import CaseEvidenceApi

urlpatterns = [
    path("cases/<int:case_id>/evidence", CaseEvidenceApi.as_view(), name="case-evidence"),
]
