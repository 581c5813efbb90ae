"""Which region does a gemeente belong to: the selector, the search page and the autocomplete endpoint."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.roles import Role
from regions.selectors import municipality_search, normalise_name
from regions.tests.factories import MunicipalityFactory, RegionFactory


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("'s-Hertogenbosch", "hertogenbosch"),
        ("S HERTOGENBOSCH", "hertogenbosch"),
        ("’s-Gravenhage", "gravenhage"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("Bergen (NH.)", "bergen nh"),
        ("  nuenen,  gerwen ", "nuenen gerwen"),
    ],
)
def test_names_are_normalised_without_case_accents_punctuation_or_s_prefix(typed, normalised):
    assert normalise_name(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "municipality", "region", "centrumgemeente"),
    [
        ("Schouwen-Duiveland", "Schouwen-Duiveland", "Zeeland", "Vlissingen"),
        ("schouwen duiveland", "Schouwen-Duiveland", "Zeeland", "Vlissingen"),
        ("Den Bosch", "'s-Hertogenbosch", "Meierij-Bommelerwaard", "'s-Hertogenbosch"),
        ("s-hertogenbosch", "'s-Hertogenbosch", "Meierij-Bommelerwaard", "'s-Hertogenbosch"),
        ("Zeewolde", "Zeewolde", "Noord-Veluwe", "Harderwijk"),
        ("Den Haag", "'s-Gravenhage", "Den Haag", "'s-Gravenhage"),
        ("sudwest fryslan", "Súdwest-Fryslân", "Fryslân", "Leeuwarden"),
        ("Bergen Limburg", "Bergen (L.)", "Noord-Limburg", "Venlo"),
        ("Bergen (NH)", "Bergen (NH.)", "Alkmaar", "Alkmaar"),
    ],
)
def test_search_finds_the_region_of_the_shipped_municipalities(reference_data, typed, municipality, region, centrumgemeente):
    best = municipality_search(query=typed)[0]
    assert best.exact
    assert (best.name, best.region_name, best.centrumgemeente) == (municipality, region, centrumgemeente)


def test_an_ambiguous_name_lists_every_candidate_and_none_as_exact(reference_data):
    matches = municipality_search(query="bergen")
    assert [m.name for m in matches][:3] == ["Bergen (L.)", "Bergen (NH.)", "Bergen op Zoom"]
    assert not any(m.exact for m in matches)


def test_names_starting_with_the_query_come_before_names_containing_it(db):
    region = RegionFactory(name="Regio Test")
    MunicipalityFactory(name="Oosterhout", region=region)
    MunicipalityFactory(name="Oost Gelre", region=region)
    MunicipalityFactory(name="Westoost", region=region)
    assert [m.name for m in municipality_search(query="oost")] == ["Oost Gelre", "Oosterhout", "Westoost"]
    assert municipality_search(query="  ") == []
    assert municipality_search(query="xyzzy") == []


def test_search_page_answers_with_region_and_centrumgemeente(client, reference_data, make_user):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    response = client.get(reverse("regions:municipality_search"), {"q": "schouwen-duiveland"})
    text = " ".join(strip_tags(response.content.decode()).split())
    assert "Schouwen-Duiveland valt in regio Zeeland (centrumgemeente Vlissingen)" in text
    assert f'href="{reverse("pages:region_detail", args=["zeeland"])}"' in response.content.decode()


def test_search_page_says_so_when_nothing_matches(client, reference_data, make_user):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    response = client.get(reverse("regions:municipality_search"), {"q": "Atlantis"})
    assert response.status_code == 200
    assert "Geen gemeente gevonden voor ‘Atlantis’" in response.content.decode()


def test_search_page_runs_a_fixed_number_of_queries(client, reference_data, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    # session (on a cache miss), user, roles, demo banner, search, tiles, +3 spare
    with django_assert_max_num_queries(9):
        response = client.get(reverse("regions:municipality_search"), {"q": "Utrecht"})
    assert response.status_code == 200
    with django_assert_max_num_queries(9):
        client.get(reverse("regions:municipality_search"), {"q": "e"})


def test_the_start_of_an_alternative_name_suggests_the_cbs_name(reference_data):
    assert "'s-Hertogenbosch" in [m.name for m in municipality_search(query="den bo")]
    assert [m.name for m in municipality_search(query="den h")][:2] == ["'s-Gravenhage", "Den Helder"]


def test_suggestions_return_at_most_ten_names_with_their_region(client, reference_data, make_user):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    suggestions = client.get(reverse("regions:municipality_suggestions"), {"q": "e"}).json()["suggestions"]
    assert len(suggestions) == 10
    exact = client.get(reverse("regions:municipality_suggestions"), {"q": "den bosch"}).json()["suggestions"]
    assert exact[0] == {"name": "'s-Hertogenbosch", "region": "Meierij-Bommelerwaard"}


@pytest.mark.parametrize("url_name", ["regions:municipality_search", "regions:municipality_suggestions"])
def test_anonymous_users_are_sent_to_the_login_page(client, db, url_name):
    response = client.get(reverse(url_name), {"q": "Utrecht"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
