"""The afstemming in the browser's HTTP: region page, Mijn regio's, the status's thread, the overview, the mail setting."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from agreements.models import AFSTEMMING_REASON_MAX_LENGTH, Afstemming, AfstemmingStep, AgreementStatus, Status, StatusComment
from agreements.services import status_agree, status_comment_add, status_disagree, status_update
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from core.models import AuditEvent
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _region(name=None):
    region = RegionFactory(**({"name": name} if name else {}))
    for number in range(1, 9):
        AgreementStatusFactory(region=region, agreement=AgreementFactory(number=number))
    return region


@pytest.fixture
def region(db):
    return _region("Regio Afstemming")


@pytest.fixture
def adviseur(make_user, region):
    return make_user(Role.REGIO_ADVISEUR, [region])


@pytest.fixture
def regio(make_user, region):
    return make_user(Role.REGIO_GEBRUIKER, [region])


def _change(region, number, user, status=Status.IN_VOORBEREIDING):
    agreement_status = AgreementStatus.objects.get(region=region, agreement__number=number)
    status_update(
        agreement_status=agreement_status,
        expected_version=agreement_status.version,
        user=user,
        status=status,
        criteria_met=[],
        explanation="",
        evidence_links=[],
    )
    agreement_status.refresh_from_db()
    return agreement_status


def _url(region, number=1):
    return reverse("agreements:status_afstemming", args=[region.slug, number])


def test_the_region_page_shows_each_afstemming_in_text_and_icon_and_agrees_with_one_click(client, region, adviseur, regio):
    agreement_status = _change(region, 1, adviseur)
    client.force_login(regio)
    page = client.get(reverse("pages:region_detail", args=[region.slug])).content.decode()
    assert '<span class="nvo-afstemming__icon" aria-hidden="true">?</span> Ter afstemming' in page
    assert page.count("Nog niet gevraagd") == 7 and "Afgestemd met de regio: 0 van 8 statussen." in page
    assert "1 status van Regio Afstemming wacht op uw afstemming" in page
    assert "Alles akkoord" not in page  # one click is enough for one status
    response = client.post(_url(region), {"actie": "akkoord", "version": agreement_status.version, "terug": "regio"})
    assert response.status_code == 302 and response.url == reverse("pages:region_detail", args=[region.slug])
    page = client.get(response.url).content.decode()
    assert "afgestemd. Dank u wel." in page and '<span class="nvo-afstemming__icon" aria-hidden="true">✓</span> Afgestemd' in page
    assert "Afgestemd met de regio: 1 van 8 statussen." in page


def test_disagreeing_needs_a_reason_and_an_overlong_one_is_refused_with_a_dutch_message(client, region, adviseur, regio):
    agreement_status = _change(region, 1, adviseur)
    client.force_login(regio)
    response = client.post(_url(region), {"actie": "niet_akkoord", "version": agreement_status.version, "reason": ""})
    assert response.status_code == 400 and "Vul de reden in waarom u het niet eens bent." in response.content.decode()
    too_long = "x" * (AFSTEMMING_REASON_MAX_LENGTH + 1)
    response = client.post(_url(region), {"actie": "niet_akkoord", "version": agreement_status.version, "reason": too_long})
    assert response.status_code == 400 and "1001 tekens lang; het maximum is 1000" in response.content.decode()
    assert too_long in response.content.decode()  # the text is kept to shorten, not lost
    assert not AfstemmingStep.objects.filter(step=Afstemming.NIET_AKKOORD).exists()
    response = client.post(_url(region), {"actie": "niet_akkoord", "version": agreement_status.version, "reason": "Wij zijn verder."})
    assert response.status_code == 302
    page = client.get(_url(region)).content.decode()
    assert "Niet akkoord" in page and "Reden: Wij zijn verder." in page


def test_a_stale_version_gets_a_conflict_and_bad_forms_a_dutch_400(client, region, adviseur, regio):
    _change(region, 1, adviseur)
    _change(region, 1, adviseur, Status.IN_UITVOERING)
    client.force_login(regio)
    response = client.post(_url(region), {"actie": "akkoord", "version": 2})
    assert response.status_code == 409 and "is gewijzigd nadat u de pagina opende" in response.content.decode()
    for data in ({"actie": "akkoord", "version": "abc"}, {"actie": "akkoord", "version": "99999999999"}, {"actie": "akkoord"}):
        response = client.post(_url(region), data)
        assert response.status_code == 400 and "mist de versie" in response.content.decode()
    response = client.post(_url(region), {"actie": "iets anders"})
    assert response.status_code == 400 and "Dit formulier is niet bekend" in response.content.decode()
    assert AgreementStatus.objects.get(region=region, agreement__number=1).afstemming == Afstemming.TER_AFSTEMMING


def test_adviser_and_region_comment_in_a_short_thread_newest_last(client, region, adviseur, regio):
    _change(region, 1, adviseur)
    client.force_login(adviseur)
    assert client.post(_url(region), {"actie": "reactie", "text": "Klopt dit zo?"}).status_code == 302
    client.force_login(regio)
    assert client.post(_url(region), {"actie": "reactie", "text": "Ja, op één punt na."}).status_code == 302
    response = client.post(_url(region), {"actie": "reactie", "text": "z" * 1001})
    assert response.status_code == 400 and "1001 tekens lang" in response.content.decode()
    page = client.get(_url(region)).content.decode()
    assert page.index("Klopt dit zo?") < page.index("Ja, op één punt na.")
    assert StatusComment.objects.count() == 2


def test_vng_reads_the_thread_but_does_not_agree_for_the_region(client, region, adviseur, make_user):
    agreement_status = _change(region, 1, adviseur)
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = client.get(_url(region)).content.decode()
    assert "Uw afstemming" not in page and "Reactie plaatsen" not in page
    assert client.post(_url(region), {"actie": "akkoord", "version": agreement_status.version}).status_code == 403
    assert client.post(_url(region), {"actie": "reactie", "text": "Hallo"}).status_code == 403
    assert not AfstemmingStep.objects.filter(step=Afstemming.AFGESTEMD).exists() and not StatusComment.objects.exists()


def test_my_regions_lists_what_waits_and_agrees_with_everything_at_once(client, region, adviseur, regio):
    for number in (1, 2, 3):
        _change(region, number, adviseur)
    status_disagree(
        agreement_status=AgreementStatus.objects.get(region=region, agreement__number=3), expected_version=2, user=regio, reason="Nee"
    )
    client.force_login(regio)
    page = client.get(reverse("pages:my_regions")).content.decode()
    assert "Wacht op uw afstemming" in page and "Alles akkoord voor Regio Afstemming" in page
    assert "Uw reden: Nee" in page and "1 van 8" not in page and "0 van 8, 2 ter afstemming, 1 niet akkoord" in page
    versions = {f"status-{s.pk}": s.version for s in AgreementStatus.objects.filter(afstemming=Afstemming.TER_AFSTEMMING)}
    response = client.post(
        reverse("agreements:region_afstemming_agree_all", args=[region.slug]), versions | {"terug": "mijn-regios", "status-x": "y"}
    )
    assert response.url == reverse("pages:my_regions")
    page = client.get(response.url).content.decode()
    assert "Regio Afstemming: 2 statussen afgestemd." in page and "2 van 8, 1 niet akkoord" in page
    response = client.post(reverse("agreements:region_afstemming_agree_all", args=[region.slug]), versions, follow=True)
    assert "Er wacht niets meer op uw afstemming" in response.content.decode()


def test_the_overview_lists_open_afstemming_of_the_advisers_regions_oldest_first(client, region, adviseur, regio, make_user):
    other = _region("Regio Elders")
    other_adviser = make_user(Role.REGIO_ADVISEUR, [other])
    _change(region, 2, adviseur)
    _change(other, 1, other_adviser)
    _change(region, 1, adviseur)
    status_disagree(
        agreement_status=AgreementStatus.objects.get(region=region, agreement__number=2), expected_version=2, user=regio, reason="Te vroeg"
    )
    _change(region, 3, adviseur)
    status_agree(agreement_status=AgreementStatus.objects.get(region=region, agreement__number=3), expected_version=2, user=regio)
    client.force_login(adviseur)
    page = client.get(reverse("agreements:afstemming_overview")).content.decode()
    assert "Regio Elders" not in page and "Afspraak 3<" not in page
    assert page.index("Afspraak 1<") < page.index("Afspraak 2<")  # 2 was asked earlier, but disagreed with later
    assert "Te vroeg" in page
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = client.get(reverse("agreements:afstemming_overview")).content.decode()
    assert page.index("Regio Elders") < page.index("Afspraak 1<")


def test_the_mail_setting_can_be_seen_and_changed_and_is_audited(client, regio):
    client.force_login(regio)
    page = client.get(reverse("pages:mail_settings")).content.decode()
    assert "Nu: <strong>aan</strong>" in page and regio.email in page
    response = client.post(reverse("pages:mail_settings"), {}, follow=True)  # the box unticked
    assert "U krijgt geen e-mail meer over afstemming." in response.content.decode()
    regio.refresh_from_db()
    assert regio.afstemming_mail is False
    assert AuditEvent.objects.filter(details__model="accounts.User", details__new={"afstemming_mail": False}).count() == 1
    client.post(reverse("pages:mail_settings"), {"afstemming_mail": "on"})
    regio.refresh_from_db()
    assert regio.afstemming_mail is True


# --- Fixed numbers of queries, at two data sizes ---


def _count(client, django_assert_max_num_queries, url, limit):
    cache.clear()
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(adviseur, regio, region, make_user, times):
    """More regions of the same users, each with statuses in every state, and a longer thread on afspraak 1."""
    for _ in range(times):
        extra = _region()
        regio.regions.add(extra)
        adviseur.regions.add(extra)
        for user in (regio, adviseur):
            user.__dict__.pop("_nvo_region_ids", None)  # the roles module caches a user's regions
        for number in (1, 2, 3):
            _change(extra, number, adviseur)
        status_disagree(
            agreement_status=AgreementStatus.objects.get(region=extra, agreement__number=2), expected_version=2, user=regio, reason="Nee"
        )
        status_agree(agreement_status=AgreementStatus.objects.get(region=extra, agreement__number=3), expected_version=2, user=regio)
        status_comment_add(agreement_status=AgreementStatus.objects.get(region=region, agreement__number=1), user=regio, text="Nog een")


@pytest.mark.parametrize(
    ("who", "name", "limit"),
    [
        ("regio", "pages:my_regions", 12),
        ("regio", "pages:region_detail", 23),  # cold: the data version and the cached parts (see regions/tests/test_views.py)
        ("regio", "agreements:status_afstemming", 12),
        ("adviseur", "agreements:afstemming_overview", 8),
        ("regio", "pages:mail_settings", 8),
    ],
)
def test_afstemming_pages_run_a_fixed_number_of_queries(
    client, region, adviseur, regio, make_user, django_assert_max_num_queries, who, name, limit
):
    _change(region, 1, adviseur)
    args = {"pages:region_detail": [region.slug], "agreements:status_afstemming": [region.slug, 1]}.get(name, [])
    user = {"regio": regio, "adviseur": adviseur}[who]
    client.force_login(user)
    _grow(adviseur, regio, region, make_user, 1)
    few = _count(client, django_assert_max_num_queries, reverse(name, args=args), limit)
    _grow(adviseur, regio, region, make_user, 4)
    assert _count(client, django_assert_max_num_queries, reverse(name, args=args), limit) == few
