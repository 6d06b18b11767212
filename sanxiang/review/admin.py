from django.contrib import admin

from sanxiang.core.admin_site import ReadOnlyAdmin
from sanxiang.review.models import Coordination, Review, Round


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["case", "application", "agency", "status", "opened_at", "closed_at"]
    list_filter = ["status"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["review", "number", "submitted_at", "due_on", "reviewer", "outcome"]


@admin.register(Coordination)
class CoordinationAdmin(ReadOnlyAdmin):
    list_display = ["review", "contested_at", "decision", "decided_by"]
