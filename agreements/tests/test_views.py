"""The status edit page: validation, success message, conflict page and the expired-session round trip."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD
from agreements.models import Status, StatusChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory, CriterionFactory


@pytest.fixture
def agreement_status(db):
    return AgreementStatusFactory(agreement=AgreementFactory(number=3))


@pytest.fixture
def url(agreement_status):
    return f"/regios/{agreement_status.region.slug}/afspraken/3/bewerken/"


@pytest.fixture
def adviseur(make_user, agreement_status):
    return make_user(Role.REGIO_ADVISEUR, [agreement_status.region])


def _data(**changes):
    return {"status": Status.IN_UITVOERING, "explanation": "Werkgroep loopt.", "evidence_links": "", "version": 1} | changes


def test_save_redirects_to_the_region_with_a_success_message(client, adviseur, agreement_status, url):
    client.force_login(adviseur)
    criterion = agreement_status.agreement.criteria.first()
    response = client.post(
        url, _data(criteria_met=[criterion.pk], evidence_links="https://example.org/a\nhttps://example.org/b"), follow=True
    )
    assert response.redirect_chain == [(f"/regios/{agreement_status.region.slug}/", 302)]
    assert "De status van afspraak 3 is opgeslagen." in response.content.decode()
    agreement_status.refresh_from_db()
    assert (agreement_status.status, agreement_status.version) == (Status.IN_UITVOERING, 2)
    assert agreement_status.evidence_links == ["https://example.org/a", "https://example.org/b"]
    assert list(agreement_status.criteria_met.all()) == [criterion]
    form = client.get(url).content.decode()
    assert f'value="{criterion.pk}" id="id_criteria_met_0" checked' in form
    assert 'name="version" value="2"' in form


def test_gerealiseerd_without_every_criterion_and_bad_links_get_dutch_errors(client, adviseur, url):
    client.force_login(adviseur)
    response = client.post(url, _data(status=Status.GEREALISEERD, evidence_links="ftp://example.org/x"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "pas gerealiseerd als aan alle minimumcriteria is voldaan" in page
    assert "begint met http:// of https://" in page
    assert 'aria-invalid="true"' in page
    assert 'href="#id_status"' in page  # the error summary links to the field
    assert "Werkgroep loopt." in page  # what was typed stays
    assert not StatusChange.objects.exists()


def test_second_user_on_a_stale_version_gets_the_conflict_page_and_can_resubmit(client, make_user, adviseur, agreement_status, url):
    colleague = make_user(Role.REGIO_ADVISEUR, [agreement_status.region], first_name="Bram", last_name="Bakker")
    client.force_login(colleague)
    assert client.post(url, _data(explanation="Versie van Bram")).status_code == 302

    client.force_login(adviseur)
    response = client.post(url, _data(status=Status.IN_VOORBEREIDING, explanation="Mijn versie"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Versie van Bram" in page and "Bram Bakker" in page
    assert "Mijn versie" in page
    assert 'name="version" value="2"' in page
    agreement_status.refresh_from_db()
    assert agreement_status.explanation == "Versie van Bram"

    response = client.post(url, _data(status=Status.IN_VOORBEREIDING, explanation="Mijn versie", version=2))
    assert response.status_code == 302
    assert list(StatusChange.objects.order_by("version").values_list("new_explanation", flat=True)) == ["Versie van Bram", "Mijn versie"]


def test_expired_session_keeps_what_was_typed_until_after_login(client, adviseur, url):
    response = client.post(url, _data(explanation="Lang over nagedacht"))
    assert response.status_code == 302
    assert response.url == f"/inloggen/?next={url}"
    assert not StatusChange.objects.exists()

    login = client.post(
        f"/inloggen/?next={url}",
        {"login_view-current_step": "auth", "auth-username": adviseur.username, "auth-password": FACTORY_PASSWORD},
    )
    assert login.url == url
    page = client.get(url).content.decode()
    assert "Uw sessie was verlopen; controleer uw wijzigingen en sla opnieuw op." in page
    assert "Lang over nagedacht" in page
    assert not StatusChange.objects.exists()  # never saved automatically
    assert "Lang over nagedacht" not in client.get(url).content.decode()  # handed back once


def _grow(agreement_status, times):
    """More regions with a status on the same agreement, and more criteria to offer and tick."""
    for _ in range(times):
        AgreementStatusFactory(agreement=agreement_status.agreement)
        CriterionFactory(agreement=agreement_status.agreement)


def test_edit_page_and_its_save_run_a_fixed_number_of_queries(client, adviseur, agreement_status, url, django_assert_num_queries):
    """The form: region, status (with its criteria met as ids) and the agreement's criteria. The save: those three
    for the form, then in one transaction the locked row, its update, the history row, the afstemming step and two
    audit events; one more query adds or removes any number of criteria met. At two sizes: the same."""
    client.force_login(adviseur)
    client.get(url)  # the signed-in user is cached from here on
    for times in (1, 10):
        _grow(agreement_status, times)
        agreement_status.criteria_met.clear()
        criteria = list(agreement_status.agreement.criteria.all())
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
        for criteria_met, queries in (([], 11), (criteria, 12), (criteria[:1], 12)):
            agreement_status.refresh_from_db()
            data = _data(explanation=f"{times} en {len(criteria_met)}", criteria_met=[c.pk for c in criteria_met])
            with django_assert_num_queries(queries):
                assert client.post(url, data | {"version": agreement_status.version}).status_code == 302
            assert list(agreement_status.criteria_met.all()) == criteria_met
