from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class SnapshotPagination(PageNumberPagination):
    """A snapshot carries every region × agreement, so a page holds a year of months."""

    page_size = 12
    page_size_query_param = "page_size"
    max_page_size = 24
