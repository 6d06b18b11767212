from django.urls import path

from sanxiang.documents import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.templates, name="templates"),
    path("<int:document_id>/docx", views.download, {"kind": "docx"}, name="docx"),
    path("<int:document_id>/pdf", views.download, {"kind": "pdf"}, name="pdf"),
    path("<int:document_id>/signed.docx", views.download, {"kind": "docx", "signed": True}, name="signed-docx"),
    path("<int:document_id>/signed.pdf", views.download, {"kind": "pdf", "signed": True}, name="signed-pdf"),
    path("<int:document_id>/sign/", views.sign, name="sign"),
]
