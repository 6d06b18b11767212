from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.powers.models import Power


@admin.register(Power)
class PowerAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "agency", "published_on", "withdrawn_on"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "name", "basis"]
