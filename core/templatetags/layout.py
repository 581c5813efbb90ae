"""Parts of the layout (base.html) that are the same on every page for everyone, rendered once per process.

The hashed names of static files and the URLs do not change while a process runs, and a dozen {% static %} and
{% url %} tags cost about half a millisecond on every page; a changed setting (tests) renders them again.
"""

from functools import cache

from django.core.signals import setting_changed
from django.template import Library
from django.template.loader import render_to_string

register = Library()


@cache
def _rendered(template: str) -> str:
    return render_to_string(template)


@register.simple_tag
def layout_part(template: str) -> str:
    """The HTML of `template` (no context, nothing per user), from this process's memory after the first time."""
    return _rendered(template)


def _forget(**kwargs) -> None:
    _rendered.cache_clear()


setting_changed.connect(_forget, dispatch_uid="layout-parts-forget")
