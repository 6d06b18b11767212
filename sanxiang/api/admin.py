from django.contrib import admin

from sanxiang.api.models import ApiToken
from sanxiang.core.admin_site import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
