"""Links to pages that other features provide: the page may not exist (yet) in every deployment."""

from django.urls import NoReverseMatch, reverse


def reverse_if_exists(url_name: str, **kwargs) -> str | None:
    """The URL for `url_name`, or None when no such page is installed, so callers leave the link out."""
    try:
        return reverse(url_name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None
