from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.licensing.models import Application, Licence, LicenceType, Material


@admin.register(LicenceType)
class LicenceTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "agency", "category", "decision_days", "decision_unit", "withdrawn_on"]
    list_filter = ["agency", "category"]
    search_fields = ["code", "name"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["licence_type", "code", "name", "required", "copies"]
    search_fields = ["licence_type__code", "name"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "licence_type", "agency", "kind", "channel", "status", "received_on", "decided_on"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["number"]
    # the operators' window shows no applicant's ID number, address or contact (docs/architecture.md: privacy)
    exclude = Application.PERSONAL_FIELDS


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "licence_type", "agency", "valid_from", "valid_to", "status"]
    list_filter = ["status"]
    search_fields = ["number", "holder_name"]
