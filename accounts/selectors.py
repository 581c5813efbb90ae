"""Reads for accounts: the Beheerder's user list."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from accounts.roles import Role

# The regions app sits above accounts; the user's own relation names the model without importing it.
Region = User._meta.get_field("regions").related_model

USERS_PER_PAGE = 50
SEARCH_MAX_LENGTH = 100


def user_list(*, search: str = "", role: str = "", region=None) -> QuerySet[User]:
    """Every account with its role, regions and invitation in three queries, whatever their number."""
    users = User.objects.select_related("invitation").prefetch_related(
        "groups", Prefetch("regions", queryset=Region.objects.order_by("name").only("id", "name", "slug"))
    )
    for word in search.split():
        users = users.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word) | Q(username__icontains=word)
        )
    if role:
        users = users.filter(Q(groups__name=role) | (Q(is_superuser=True) if role == Role.BEHEERDER else Q(pk=None)))
    if region is not None:
        users = users.filter(regions=region)
    return users.distinct().order_by("last_name", "first_name", "username")
