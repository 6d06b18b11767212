from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.documents.models import AgencyTemplate, Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "doc_type", "agency", "issued_on", "docx_sha256"]
    list_filter = ["doc_type"]
    search_fields = ["number"]


@admin.register(AgencyTemplate)
class AgencyTemplateAdmin(ReadOnlyAdmin):
    list_display = ["agency", "doc_type", "file_name", "uploaded_at"]
