from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.laws.models import Article, Instrument


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "version_label", "kind", "effective_from", "effective_to", "confidence"]
    list_filter = ["kind"]
    search_fields = ["title", "short_names"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "number", "text_imported_at"]
    list_filter = ["instrument"]
