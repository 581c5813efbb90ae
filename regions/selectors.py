"""Reads for regions, each tuned for the page that uses it (fixed number of queries)."""

from django.db.models import QuerySet

from regions.models import ContactPerson, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.prefetch_related("municipalities")


def contact_list() -> QuerySet[ContactPerson]:
    """Contacts with their region. Personal data: only for users `accounts.roles.can_see_contacts` allows."""
    return ContactPerson.objects.select_related("region")
