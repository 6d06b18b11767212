from django.urls import path

from sanxiang.evidence.api import CaseEvidenceApi, RecorderProposalApi

urlpatterns = [
    path("cases/<int:case_id>/evidence", CaseEvidenceApi.as_view(), name="case-evidence"),
    path("cases/<int:case_id>/evidence/recorder", RecorderProposalApi.as_view(), name="case-evidence-recorder"),
]
