from django.contrib import admin

from sanxiang.exchange.models import MirrorRecord, MirrorSource


class ReadOnly(admin.ModelAdmin):
    """The mirror is written by the reference client alone (`sanxiang exchange pull`)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MirrorSource)
class MirrorSourceAdmin(ReadOnly):
    list_display = ["url", "origin", "next_since", "checkpoint_size", "pulled_at"]


@admin.register(MirrorRecord)
class MirrorRecordAdmin(ReadOnly):
    list_display = ["source", "index", "kind", "checkpoint_size", "pulled_at"]
    list_filter = ["kind"]
