from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.core.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "source", "updated_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["calendar_year", "kind"]
