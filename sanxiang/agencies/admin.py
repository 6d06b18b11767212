from django.contrib import admin

from sanxiang.agencies.models import Agency, Certificate, RoleAssignment, ServiceWindow, User
from sanxiang.core.admin_site import ReadOnlyAdmin


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent", "uscc", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]


@admin.register(ServiceWindow)
class ServiceWindowAdmin(ReadOnlyAdmin):
    list_display = ["agency", "name", "location"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "agency", "is_active", "last_login"]
    list_filter = ["is_active", "role_assignments__role"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder", "agency", "domain", "issued_on", "expires_on", "status"]
    list_filter = ["status", "domain"]
    search_fields = ["number", "holder__full_name"]
