from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.inspections.models import InspectionItem, InspectionRules


@admin.register(InspectionItem)
class InspectionItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "agency", "power", "method", "random", "published_on", "withdrawn_on"]
    list_filter = ["agency", "method", "random"]
    search_fields = ["code", "name", "subject"]


@admin.register(InspectionRules)
class InspectionRulesAdmin(ReadOnlyAdmin):
    list_display = ["agency", "title", "document_number", "adopted_on"]
