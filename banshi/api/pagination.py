"""Page-numbered lists through django-ninja's own pagination, in Banshi's shape:
{count, page, page_size, results}. A page past the end is empty (not the last page)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from banshi.appeals import limits

MAX_PAGE = 100_000  # keeps OFFSET within what every database engine takes


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(limits.PAGE_SIZE, ge=1, le=limits.PAGE_SIZE_MAX)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        return {
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
            "results": queryset[offset:offset + size],
        }
