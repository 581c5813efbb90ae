"""The region page reads the division of today: its source, its changes, and which adoptions count."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from regions.models import Municipality, RegiovisieAdoption

pytestmark = pytest.mark.django_db


def _page(client, slug):
    return " ".join(client.get(reverse("pages:region_detail", kwargs={"slug": slug})).content.decode().split())


def test_region_page_names_its_source_and_counts_only_adoptions_decided_as_a_member(reference_data, client, make_user):
    RegiovisieAdoption.objects.create(municipality=Municipality.objects.get(name="Zeewolde"), decision_date=date(2023, 6, 1))
    RegiovisieAdoption.objects.create(municipality=Municipality.objects.get(name="Putten"), decision_date=date(2025, 1, 1))
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    page = _page(client, "noord-veluwe")
    assert "Bron indeling: Regioplan BW/MO Noord-Veluwe 2020-2023" in page and "zekerheid: gemeentelijk document." in page
    assert "<strong>1 van 7 raden vastgesteld</strong>" in page
    assert "vastgesteld op 1 juni 2023, voordat de gemeente bij deze regio kwam (telt niet mee)" in page
    assert "Zeewolde hoort sinds 1 januari 2024 bij deze regio." in page
    meierij = _page(client, "meierij-bommelerwaard")
    assert "zekerheid: regeling." in meierij and "Gemeenteblad &#x27;s-Hertogenbosch 2025, 572686" in meierij
    assert "Deze regio bestaat niet meer." not in meierij
