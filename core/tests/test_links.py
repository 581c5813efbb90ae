from django.urls import reverse

from core.links import slug_link


def test_a_slug_link_is_what_reverse_gives():
    link = slug_link("pages:region_detail")
    for slug in ("zeeland", "regio-007", "a_b", "0slug0"):
        assert link(slug) == reverse("pages:region_detail", args=[slug])
