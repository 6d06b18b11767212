from django.urls import path

from sanxiang.evidence.api import CaseEvidenceApi, EvidenceSearchApi, RecorderProposalApi

urlpatterns = [
    path("evidence", EvidenceSearchApi.as_view(), name="evidence-search"),
    path("cases/<int:case_id>/evidence", CaseEvidenceApi.as_view(), name="case-evidence"),
    path("cases/<int:case_id>/evidence/recorder", RecorderProposalApi.as_view(), name="case-evidence-recorder"),
]
