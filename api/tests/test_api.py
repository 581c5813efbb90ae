"""The REST API: permissions per role, reads, the status write with its 409 and 400s, token auth."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import Role
from agreements.models import AgreementStatus, Status, StatusChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import ContactPersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.BEHEERDER, Role.VNG_MEDEWERKER, Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER, None, "anonymous"]
READ_URLS = ["/api/regions/", "/api/agreements/", "/api/statuses/", "/api/contacts/"]


@pytest.fixture
def agreement_status(db):
    return AgreementStatusFactory()


@pytest.fixture
def client_for(make_user):
    """`client_for(role, *regions)`: an API client signed in (session) as a new user with that role."""

    def make(role, *regions):
        client = APIClient()
        if role != "anonymous":
            client.force_login(make_user(role, regions))
        return client

    return make


def _body(agreement_status, **changes):
    return {
        "version": agreement_status.version,
        "status": Status.IN_UITVOERING,
        "criteria_met": [],
        "explanation": "Via de API.",
        "evidence_links": [],
    } | changes


@pytest.mark.parametrize("url", READ_URLS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.BEHEERDER, 200),
        (Role.VNG_MEDEWERKER, 200),
        (Role.REGIO_ADVISEUR, 200),
        (Role.REGIO_GEBRUIKER, 200),
        (None, 403),  # signed in, but without a role
        ("anonymous", 401),
    ],
)
def test_read_permissions_per_role(client_for, agreement_status, url, role, expected):
    ContactPersonFactory(region=agreement_status.region)
    response = client_for(role).get(url)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "own_region", "expected"),
    [
        (Role.BEHEERDER, False, 200),
        (Role.VNG_MEDEWERKER, False, 403),
        (Role.REGIO_ADVISEUR, True, 200),
        (Role.REGIO_ADVISEUR, False, 403),
        (Role.REGIO_GEBRUIKER, True, 403),
        (None, False, 403),
        ("anonymous", False, 401),
    ],
)
def test_write_permissions_per_role(client_for, agreement_status, role, own_region, expected):
    regions = [agreement_status.region] if own_region else [RegionFactory()]
    response = client_for(role, *regions).put(f"/api/statuses/{agreement_status.pk}/", _body(agreement_status), format="json")
    assert response.status_code == expected
    agreement_status.refresh_from_db()
    assert agreement_status.status == (Status.IN_UITVOERING if expected == 200 else Status.ONBEKEND)
    assert StatusChange.objects.count() == (1 if expected == 200 else 0)


def test_write_lands_in_the_history_as_the_api_user(make_user, agreement_status):
    adviseur = make_user(Role.REGIO_ADVISEUR, [agreement_status.region])
    first = agreement_status.agreement.criteria.first()
    client = APIClient()
    client.force_login(adviseur)
    response = client.patch(
        f"/api/statuses/{agreement_status.pk}/",
        {"version": 1, "status": Status.IN_VOORBEREIDING, "criteria_met": [first.order]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["criteria_met"] == [first.order]
    assert response.json()["status_label"] == "In voorbereiding"
    change = StatusChange.objects.get()
    assert (change.changed_by, change.new_status) == (adviseur, Status.IN_VOORBEREIDING)
    assert list(AgreementStatus.objects.get().criteria_met.all()) == [first]


def test_token_authentication(make_user, agreement_status):
    beheerder = make_user(Role.BEHEERDER)
    token = Token.objects.create(user=beheerder)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/statuses/").status_code == 200
    response = client.put(f"/api/statuses/{agreement_status.pk}/", _body(agreement_status), format="json")
    assert response.status_code == 200
    assert StatusChange.objects.get().changed_by == beheerder
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/statuses/").status_code == 401


def test_stale_version_gets_409_with_the_current_state(client_for, agreement_status):
    client = client_for(Role.BEHEERDER)
    url = f"/api/statuses/{agreement_status.pk}/"
    assert client.put(url, _body(agreement_status, explanation="Eerst"), format="json").status_code == 200

    response = client.put(url, _body(agreement_status, version=1, explanation="Op oude versie"), format="json")

    assert response.status_code == 409
    body = response.json()
    assert "Iemand anders" in body["detail"]
    assert body["current"]["version"] == 2
    assert body["current"]["explanation"] == "Eerst"
    assert body["current"]["status"] == Status.IN_UITVOERING
    agreement_status.refresh_from_db()
    assert (agreement_status.version, agreement_status.explanation) == (2, "Eerst")
    assert StatusChange.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status": 9}, "status", "is een ongeldige keuze"),
        ({"version": "twee"}, "version", "Een geldig getal is vereist"),
        ({"criteria_met": [99]}, "criteria_met", "geen minimumcriterium met volgnummer 99"),
        ({"status": Status.GEREALISEERD}, "status", "pas gerealiseerd als aan alle minimumcriteria"),
        ({"evidence_links": ["geen-link"]}, "evidence_links", "geen geldige link"),
        ({"explanation": None}, "explanation", "mag niet leeg zijn"),
    ],
)
def test_bad_input_gets_400_with_a_field_level_message(client_for, agreement_status, changes, field, message):
    response = client_for(Role.BEHEERDER).put(f"/api/statuses/{agreement_status.pk}/", _body(agreement_status, **changes), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert StatusChange.objects.count() == 0


def test_put_needs_every_field_and_patch_needs_the_version(client_for, agreement_status):
    client = client_for(Role.BEHEERDER)
    url = f"/api/statuses/{agreement_status.pk}/"
    response = client.put(url, {"version": 1}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "criteria_met", "explanation", "evidence_links"}
    response = client.patch(url, {"status": Status.NIET_GESTART}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"version"}


def test_patch_keeps_what_it_does_not_mention(client_for, agreement_status):
    client = client_for(Role.BEHEERDER)
    url = f"/api/statuses/{agreement_status.pk}/"
    order = agreement_status.agreement.criteria.first().order
    body = _body(agreement_status, criteria_met=[order], evidence_links=["https://example.org/b"])
    assert client.put(url, body, format="json").status_code == 200
    response = client.patch(url, {"version": 2, "explanation": "Alleen de toelichting"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["criteria_met"], body["evidence_links"], body["explanation"]) == (
        Status.IN_UITVOERING,
        [order],
        ["https://example.org/b"],
        "Alleen de toelichting",
    )
    assert client.patch(url, ["geen", "object"], format="json").status_code == 400


def test_filters_and_pagination(client_for, make_user):
    region, other = RegionFactory(), RegionFactory()
    agreements = [AgreementFactory(number=n) for n in (1, 2, 3)]
    for r in (region, other):
        for agreement in agreements:
            AgreementStatusFactory(region=r, agreement=agreement)
    AgreementStatus.objects.filter(region=region, agreement__number=2).update(status=Status.IN_UITVOERING)
    client = client_for(Role.REGIO_GEBRUIKER)

    def ids(query):
        response = client.get("/api/statuses/" + query)
        assert response.status_code == 200, response.json()
        return {(s["region"], s["agreement"]) for s in response.json()["results"]}

    assert ids(f"?region={region.code}") == {(region.code, n) for n in (1, 2, 3)}
    assert ids(f"?region={other.slug}&agreement=3") == {(other.code, 3)}
    assert ids(f"?status={Status.IN_UITVOERING}") == {(region.code, 2)}
    page = client.get("/api/statuses/?page_size=4&page=2").json()
    assert (page["count"], len(page["results"])) == (6, 2)
    assert client.get("/api/statuses/?status=9").status_code == 400
    assert client.get("/api/statuses/?page=99").status_code == 404


def test_regions_list_municipalities_but_no_contact_data(client_for, agreement_status):
    contact = ContactPersonFactory(region=agreement_status.region)
    client = client_for(Role.REGIO_GEBRUIKER)
    for url in ("/api/regions/", f"/api/regions/{agreement_status.region.slug}/", "/api/statuses/"):
        assert contact.email not in client.get(url).content.decode()
    region = client.get(f"/api/regions/?code={agreement_status.region.code}").json()["results"][0]
    assert region["centrumgemeente"] == agreement_status.region.centrumgemeente.name
    assert region["municipalities"][0]["is_centrumgemeente"] is True
    contacts = client.get(f"/api/contacts/?region={agreement_status.region.code}").json()["results"]
    assert [c["email"] for c in contacts] == [contact.email]


def test_agreements_with_criteria(client_for, agreement_status):
    number = agreement_status.agreement.number
    response = client_for(Role.REGIO_GEBRUIKER).get(f"/api/agreements/{number}/")
    assert response.json()["number"] == number
    orders = list(agreement_status.agreement.criteria.values_list("order", flat=True))
    assert [c["order"] for c in response.json()["criteria"]] == orders


def _fill(agreements, regions: int):
    for _ in range(regions):
        region = RegionFactory()
        ContactPersonFactory(region=region)
        for agreement in agreements:
            status = AgreementStatusFactory(region=region, agreement=agreement)
            status.criteria_met.set(agreement.criteria.all()[:2])


@pytest.mark.parametrize("url", ["/api/regions/", "/api/agreements/", "/api/statuses/?page_size=500", "/api/contacts/"])
def test_list_endpoints_run_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, url):
    client = client_for(Role.BEHEERDER)
    agreements = [AgreementFactory(number=n) for n in range(1, 9)]
    _fill(agreements, 2)
    with django_assert_max_num_queries(9) as few:  # user, roles and the endpoint's own queries, some spare
        assert client.get(url).status_code == 200
    _fill(agreements, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_region_slug_with_a_nul_byte_is_a_400_not_a_server_error(client_for, agreement_status):
    # Refused by RequestInputGuardMiddleware, like a NUL anywhere in a request.
    assert client_for(Role.BEHEERDER).get("/api/regions/a%00b/").status_code == 400
