from django.urls import path

from sanxiang.documents import api

urlpatterns = [
    path("documents/<int:document_id>/signatures/", api.DocumentSignaturesApi.as_view(), name="document-signatures"),
    path("documents/<int:document_id>/corrections/", api.DocumentCorrectionsApi.as_view(), name="document-corrections"),
]
