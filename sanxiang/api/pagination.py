from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


class StrictPageSize:
    """A page_size that is not a whole number is refused (DRF would quietly use the default instead); above the
    maximum it is the maximum."""

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value and not value.isdigit():
            raise ValidationError({self.page_size_query_param: [_("应为正整数。")]})
        return super().get_page_size(request)


class Pagination(StrictPageSize, PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
