"""Long lists in pages of 100, as the dashboard's matrix: ?pagina=N kept within the pages that exist, so that junk or
an old link shows a page rather than an error."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 100


def page_number(raw, *, count: int, per_page: int = PAGE_SIZE) -> int:
    """?pagina= as a page of a list of `count` items: junk is page 1, too high the last page."""
    last = max(1, -(-count // per_page))
    try:
        return min(max(int(raw), 1), last)
    except (TypeError, ValueError):
        return 1


def page_of(queryset: QuerySet, raw_number, *, per_page: int = PAGE_SIZE) -> Page:
    """The page ?pagina=`raw_number` of an ordered `queryset`: one count; `object_list` is the page's slice, still a
    queryset, so a selector can use it as a subquery of the rows it reads."""
    paginator = Paginator(queryset, per_page)
    return paginator.page(page_number(raw_number, count=paginator.count, per_page=per_page))
