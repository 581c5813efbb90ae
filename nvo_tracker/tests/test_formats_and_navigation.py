"""Dutch dates and numbers; the navigation shows each role only the pages it may use."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from accounts.roles import Role
from nvo_tracker.context_processors import navigation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_dates_are_written_the_dutch_way():
    assert render('{{ d|date:"j F Y" }}', d=datetime.date(2026, 12, 1)) == "1 december 2026"
    assert render("{{ d|date }}", d=datetime.date(2026, 3, 9)) == "9 maart 2026"


def test_numbers_use_dutch_separators():
    assert render("{% load humanize %}{{ n|intcomma }}", n=1234567) == "1.234.567"
    assert render('{{ x|floatformat:"1g" }}', x=1234.56) == "1.234,6"
    assert render("{{ x|floatformat:1 }}", x=12.34) == "12,3"
    assert render("{{ n }}", n=2026) == "2026"  # ids, years and versions in URLs and attributes stay plain


def labels_for(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [link["label"] for link in navigation(request)["navigation"]]


def test_anonymous_users_get_no_navigation():
    assert labels_for(AnonymousUser()) == []


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.BEHEERDER, {"Dashboard", "Opvolging", "Importeren", "Beheer"}, {"Mijn regio's"}),
        (Role.VNG_MEDEWERKER, {"Dashboard", "Achterblijvers", "Opvolging", "Netwerk"}, {"Beheer", "Importeren", "Mijn regio's"}),
        (Role.REGIO_ADVISEUR, {"Mijn regio's", "Importeren", "Netwerk"}, {"Beheer", "Achterblijvers", "Opvolging"}),
        (Role.REGIO_GEBRUIKER, {"Mijn regio's", "Dashboard", "Gemeente zoeken"}, {"Beheer", "Importeren", "Opvolging"}),
    ],
)
def test_navigation_lists_only_what_the_role_may_use(make_user, role, shown, hidden):
    labels = set(labels_for(make_user(role)))
    assert shown <= labels
    assert not hidden & labels


def test_navigation_leaves_out_pages_that_are_not_installed(make_user):
    request = RequestFactory().get("/gemeenten/zoeken/")
    request.user = make_user(Role.BEHEERDER)
    links = navigation(request)["navigation"]
    assert all(link["url"] for link in links)
    assert [link["label"] for link in links if link["current"]] == ["Gemeente zoeken"]


def test_a_mistyped_url_name_in_the_navigation_fails_loudly(rf, make_user, monkeypatch):
    from django.urls import NoReverseMatch

    from nvo_tracker import context_processors

    monkeypatch.setattr(context_processors, "NAVIGATION", [("Kapot", "pages:no_such_page", lambda user: True)])
    request = rf.get("/")
    request.user = make_user(Role.BEHEERDER)
    with pytest.raises(NoReverseMatch):
        navigation(request)
