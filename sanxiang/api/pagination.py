from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

# Page parameters are whole numbers when sent at all: an empty one is refused too (the document says so), where DRF
# would quietly serve the first page or the default size.
PAGE_PARAMETERS = frozenset({"page", "page_size"})


def _given_once(request) -> None:
    """A page parameter sent twice (`?cursor=a&cursor=b`) is refused: the document allows one, and which of the two
    would count is not for the server to guess."""
    twice = sorted(name for name in (*PAGE_PARAMETERS, "cursor") if len(request.query_params.getlist(name)) > 1)
    if twice:
        raise ValidationError({name: [_("只能提供一次。")] for name in twice})


def _whole_number(request, name: str) -> None:
    value = request.query_params.get(name)
    if value is not None and not value.isdigit():
        raise ValidationError({name: [_("应为正整数。")]})


class StrictPageSize:
    """A page_size that is not a whole number is refused (DRF would quietly use the default instead); above the
    maximum it is the maximum."""

    def get_page_size(self, request):
        _given_once(request)
        _whole_number(request, self.page_size_query_param)
        return super().get_page_size(request)


class Pagination(StrictPageSize, PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        _whole_number(request, self.page_query_param)
        return super().get_page_number(request, paginator)


class NewestFirst(StrictPageSize, CursorPagination):
    """Cursor pages, newest first: constant cost at any depth of a large list (no count)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Paged:
    """Mixed into an API view that answers a list in pages: its `pagination_class` is also what the OpenAPI document
    reads, so the page shape (count, next, previous, results) is documented as it is served."""

    pagination_class = Pagination

    def page(self, request, rows, serializer, **options):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(serializer(page, many=True, **options).data)
