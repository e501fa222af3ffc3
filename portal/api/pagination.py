"""Pagination for lists that can grow to millions of rows: cursors, never COUNT(*)."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Cursor pagination over the primary key; stable and index-backed."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
