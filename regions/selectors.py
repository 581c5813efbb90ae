"""Reads for regions, each tuned for the page that uses it (fixed number of queries)."""

from django.db.models import QuerySet

from regions.models import Region


def region_list() -> QuerySet[Region]:
    return Region.objects.prefetch_related("municipalities")
