"""Every URL of the app × every kind of visitor × GET/POST gets exactly the agreed answer; a refused POST changes nothing.

The matrix is checked against the URLconf: a URL without a row here fails `test_every_url_has_a_matrix_row`.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from agreements.models import AgreementStatus, StatusChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from core.dates import months_earlier
from dashboard.models import DashboardSnapshot
from regions.models import (
    ContactChange,
    ContactPerson,
    RegiovisieAdoption,
    RegiovisieAdoptionChange,
)
from regions.tests.factories import ContactPersonFactory, MunicipalityFactory, RegionFactory
from support.models import MeetingAttendance, NetworkMeeting, SupportAction
from support.tests.factories import NetworkMeetingFactory, SupportActionFactory

OWN, OTHER = "eigen", "andere"
USERS = ("anoniem", "zonder rol", "beheerder", "vng", "adviseur", "regio")
# URL namespaces with a permission system of their own, tested where they are configured.
EXEMPT_NAMESPACES = {
    "admin": "Django's admin: staff only, its own permissions (regions/tests/test_admin.py, operations/tests/test_security.py)",
    "two_factor": "django-two-factor-auth's pages for the signed-in user's own device (operations/tests/test_security.py)",
}


@pytest.fixture
def regions(db):
    agreement = AgreementFactory(number=1)
    made = {}
    for key in (OWN, OTHER):
        region = RegionFactory(slug=f"regio-{key}")
        MunicipalityFactory(region=region)
        AgreementStatusFactory(region=region, agreement=agreement)
        made[key] = region
    return made


@pytest.fixture
def users(make_user, regions):
    return {
        "anoniem": None,
        "zonder rol": make_user(None),
        "beheerder": make_user(Role.BEHEERDER),
        "vng": make_user(Role.VNG_MEDEWERKER),
        "adviseur": make_user(Role.REGIO_ADVISEUR, [regions[OWN]]),
        "regio": make_user(Role.REGIO_GEBRUIKER, [regions[OWN]]),
    }


@pytest.fixture
def objects(regions, users):
    """One of everything a URL can point at."""
    from dashboard.services import dashboard_rebuild

    return {
        "region": regions[OWN],
        "other": regions[OTHER],
        "status": AgreementStatus.objects.get(region=regions[OWN]),
        **_asked(regions, users["beheerder"]),
        "contact": ContactPersonFactory(),  # in a third region, so the contact forms below start from empty slots
        "action": SupportActionFactory(region=regions[OWN], vng_staff=users["vng"]),
        "meeting": NetworkMeetingFactory(),
        "snapshot": dashboard_rebuild(month=timezone.localdate().replace(day=1)),
        "released": _released(dashboard_rebuild(month=months_earlier(timezone.localdate().replace(day=1), 1)), users["vng"]),
        "vng": users["vng"],
        **_account_subjects(regions, users),
    }


def _asked(regions, beheerder):
    """Afspraak 2 of both regions changed, so it is ter afstemming at version 2 (the afstemming rows use it)."""
    from agreements.services import status_update

    agreement = AgreementFactory(number=2)
    asked = {}
    for key in (OWN, OTHER):
        status = AgreementStatusFactory(region=regions[key], agreement=agreement)
        status_update(
            agreement_status=status, expected_version=1, user=beheerder, status=2, criteria_met=[], explanation="", evidence_links=[]
        )
        asked[f"asked-{key}"] = status
    return asked


def _released(snapshot, user):
    from dashboard.services import snapshot_release

    return snapshot_release(snapshot=snapshot, user=user)


def _account_subjects(regions, users):
    """Accounts the user pages act on: an active one with a token and an authenticator app, a deactivated one and an
    open invitation."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from accounts import services
    from accounts.tests.factories import UserFactory

    target = UserFactory(role=Role.REGIO_GEBRUIKER, regions=[regions[OWN]])
    Token.objects.create(user=target)
    TOTPDevice.objects.create(user=target, name="telefoon")
    invited = services.user_invite(
        actor=users["beheerder"], email="genodigd@example.org", first_name="Gen", last_name="Odigd", role=Role.VNG_MEDEWERKER
    )
    deactivated = UserFactory(role=Role.REGIO_GEBRUIKER, regions=[regions[OWN]], is_active=False)
    return {"target": target, "deactivated": deactivated, "invited": invited}


def _account_state():
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from accounts.models import Invitation, User

    return (
        sorted(User.objects.values_list("pk", "is_active", "email", "first_name", "password")),
        sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        sorted(User.regions.through.objects.values_list("user_id", "region_id")),
        sorted(Invitation.objects.values_list("user_id", "token_hash")),
        sorted(Token.objects.values_list("user_id", "key")),
        TOTPDevice.objects.count(),
    )


def _state():
    """Everything a page could change."""
    from accounts.models import User
    from agreements.models import AfstemmingStep, StatusComment

    return (
        list(AgreementStatus.objects.order_by("pk").values_list("afstemming", "afstemming_at")),
        AfstemmingStep.objects.count(),
        StatusComment.objects.count(),
        list(User.objects.order_by("pk").values_list("afstemming_mail", flat=True)),
        list(AgreementStatus.objects.order_by("pk").values_list("version", "explanation")),
        StatusChange.objects.count(),
        ContactPerson.objects.count(),
        ContactChange.objects.count(),
        RegiovisieAdoption.objects.count(),
        RegiovisieAdoptionChange.objects.count(),
        list(SupportAction.objects.order_by("pk").values_list("version", "summary")),
        list(NetworkMeeting.objects.order_by("pk").values_list("version", "location")),
        MeetingAttendance.objects.count(),
        list(DashboardSnapshot.objects.order_by("pk").values_list("released_at", flat=True)),
        _account_state(),
    )


def codes(**answers) -> dict[str, int]:
    """Answers per visitor: signed-in users with a role get 200 unless told otherwise."""
    base = {"anoniem": 302, "zonder rol": 403, "beheerder": 200, "vng": 200, "adviseur": 200, "regio": 200}
    return base | {USERS[USERS.index(key.replace("_", " "))]: code for key, code in answers.items()}


ROLE = codes()
VNG = codes(adviseur=403, regio=403)
REGIO = codes(beheerder=403, vng=403)  # Mijn regio's: the regio roles' own regions
EDIT_OWN = codes(vng=403, regio=403)  # Beheerders and the region's own regio-adviseur
EDIT_OTHER = codes(vng=403, adviseur=403, regio=403)
IMPORTERS = codes(vng=403, regio=403)
NOT_ALLOWED = dict.fromkeys(USERS, 405)
API = codes(anoniem=401)
API_READ_ONLY = API | dict.fromkeys(["beheerder", "vng", "adviseur", "regio"], 405)
EVERYONE = dict.fromkeys(USERS, 200)
NOT_FOUND = dict.fromkeys(USERS, 404)
PUBLIC_ON, PUBLIC_OFF = {"PUBLIC_DASHBOARD": True}, {"PUBLIC_DASHBOARD": False}


# Afstemming: reading a status's thread is for VNG staff and the region's own users and advisers; agreeing and
# disagreeing only for the region's regio-gebruiker; commenting also for its regio-adviseur and Beheerders.
THREAD_OWN = ROLE
THREAD_OTHER = codes(adviseur=403, regio=403)
CONFIRM_OWN = codes(beheerder=403, vng=403, adviseur=403, regio=302)
CONFIRM_OTHER = codes(beheerder=403, vng=403, adviseur=403, regio=403)
COMMENT_OWN = codes(beheerder=302, vng=403, adviseur=302, regio=302)
COMMENT_OTHER = codes(beheerder=302, vng=403, adviseur=403, regio=403)


def saved(answers: dict[str, int]) -> dict[str, int]:
    """A valid POST: the allowed visitors' save redirects (302), the others keep their refusal."""
    return {user: 302 if code == 200 else code for user, code in answers.items()}


def _contacts_data(o):
    data = {f"{kind}-{position}-version": 0 for kind in ContactPerson.Kind for position in ContactPerson.Position}
    return data | {"ambtelijk-primair-name": "Nieuwe Naam"}


def _adoptions_data(region):
    data = {}
    for municipality in region.municipalities.all():
        data |= {f"gemeente-{municipality.pk}-version": 0, f"gemeente-{municipality.pk}-decision_date": "2025-01-15"}
    return data


def _action_data(o):
    return {
        "kind": "gesprek",
        "date": "2025-05-01",
        "vng_staff": o["vng"].pk,
        "summary": "Via de matrix",
        "next_step": "",
        "next_step_due": "",
        "status": "open",
        "agreement": "",
        "version": 1,
    }


def _meeting_data(o):
    starts = timezone.localtime() + timedelta(days=30)
    return {
        "network": "ambtelijk",
        "starts_at": f"{starts:%Y-%m-%dT10:00}",
        "ends_at": f"{starts:%Y-%m-%dT12:00}",
        "format": "fysiek",
        "location": "Via de matrix",
        "agenda": "",
        "version": 1,
    }


def _attendance_data(o):
    return {f"regio-{o['region'].pk}": "primair"}


def _invite_data(o):
    return {
        "first_name": "Nieuw",
        "last_name": "Lid",
        "email": "nieuw@example.org",
        "role": Role.REGIO_GEBRUIKER,
        "regions": [o["other"].pk],
    }


def _user(name, key="target", suffix=""):
    return lambda o: reverse(name, args=[o[key].pk]) + suffix


@dataclass
class Row:
    name: str  # the URL's name, as the URLconf has it
    url: object  # objects -> path
    get: dict
    post: dict
    data: object = None  # objects -> POST data (a valid save where the page saves)
    label: str = ""
    settings: dict = field(default_factory=dict)  # setting overrides for this row
    extra: dict = field(default_factory=dict)  # {"saved": status}: the answer of a save that is not a redirect

    @property
    def key(self) -> str:
        return f"{self.name}{' ' + self.label if self.label else ''}"


def _status_url(key):
    return lambda o: reverse("agreements:status_edit", args=[o[key].slug, 1])


def _slug(name, key):
    return lambda o: reverse(name, args=[o[key].slug])


def _afstemming_url(key):
    return lambda o: reverse("agreements:status_afstemming", args=[o[f"asked-{key}"].region.slug, 2])


def _afstemming_data(action):
    return lambda o: {"actie": action, "version": 2, "reason": "Niet via de matrix", "text": "Via de matrix"}


def _agree_all_url(key):
    return lambda o: reverse("agreements:region_afstemming_agree_all", args=[o[f"asked-{key}"].region.slug])


def _agree_all_data(key):
    return lambda o: {f"status-{o[f'asked-{key}'].pk}": 2}


STATUS_DATA = {"status": 2, "explanation": "Gewijzigd via de matrix", "evidence_links": "", "version": 1}

ROWS = [
    # pages: the home page redirects every role to its start page
    Row("pages:home", lambda o: reverse("pages:home"), codes(beheerder=302, vng=302, adviseur=302, regio=302), NOT_ALLOWED),
    Row("pages:my_regions", lambda o: reverse("pages:my_regions"), REGIO, NOT_ALLOWED),
    Row("pages:region_list", lambda o: reverse("pages:region_list"), ROLE, NOT_ALLOWED),
    Row("pages:region_detail", _slug("pages:region_detail", "region"), ROLE, NOT_ALLOWED, label=OWN),
    Row("pages:region_detail", _slug("pages:region_detail", "other"), ROLE, NOT_ALLOWED, label=OTHER),
    Row("pages:region_history", _slug("pages:region_history", "region"), ROLE, NOT_ALLOWED, label=OWN),
    Row("pages:region_history", _slug("pages:region_history", "other"), ROLE, NOT_ALLOWED, label=OTHER),
    Row("pages:follow_up", lambda o: reverse("pages:follow_up"), VNG, NOT_ALLOWED),
    # regions
    Row("regions:contacts_edit", _slug("regions:contacts_edit", "region"), EDIT_OWN, saved(EDIT_OWN), _contacts_data, OWN),
    Row("regions:contacts_edit", _slug("regions:contacts_edit", "other"), EDIT_OTHER, saved(EDIT_OTHER), _contacts_data, OTHER),
    Row(
        "regions:adoptions_edit",
        _slug("regions:adoptions_edit", "region"),
        EDIT_OWN,
        saved(EDIT_OWN),
        lambda o: _adoptions_data(o["region"]),
        OWN,
    ),
    Row(
        "regions:adoptions_edit",
        _slug("regions:adoptions_edit", "other"),
        EDIT_OTHER,
        saved(EDIT_OTHER),
        lambda o: _adoptions_data(o["other"]),
        OTHER,
    ),
    Row("regions:municipality_search", lambda o: reverse("regions:municipality_search") + "?q=Gemeente", ROLE, NOT_ALLOWED),
    Row("regions:municipality_suggestions", lambda o: reverse("regions:municipality_suggestions") + "?q=Gem", ROLE, NOT_ALLOWED),
    # agreements
    Row("agreements:status_edit", _status_url("region"), EDIT_OWN, saved(EDIT_OWN), lambda o: STATUS_DATA, OWN),
    Row("agreements:status_edit", _status_url("other"), EDIT_OTHER, saved(EDIT_OTHER), lambda o: STATUS_DATA, OTHER),
    Row("agreements:status_export", lambda o: reverse("agreements:status_export", args=["csv"]), ROLE, NOT_ALLOWED, label="csv"),
    Row("agreements:status_export", lambda o: reverse("agreements:status_export", args=["xlsx"]), ROLE, NOT_ALLOWED, label="xlsx"),
    Row("agreements:region_history_csv", _slug("agreements:region_history_csv", "region"), ROLE, NOT_ALLOWED, label=OWN),
    Row("agreements:region_history_csv", _slug("agreements:region_history_csv", "other"), ROLE, NOT_ALLOWED, label=OTHER),
    # The import needs a file (a POST without one shows the form again); the confirmation needs a preview.
    Row("agreements:status_import", lambda o: reverse("agreements:status_import"), IMPORTERS, IMPORTERS),
    Row(
        "agreements:status_import_confirm",
        lambda o: reverse("agreements:status_import_confirm"),
        NOT_ALLOWED,
        IMPORTERS | {"beheerder": 302, "adviseur": 302},
    ),
    Row("agreements:peers", lambda o: reverse("agreements:peers", args=[1]) + "?regio=regio-eigen", ROLE, NOT_ALLOWED),
    # afstemming: one URL per status, the POST's `actie` says what (agree, disagree, comment)
    *[
        Row("agreements:status_afstemming", _afstemming_url(key), get, post, _afstemming_data(action), f"{key} {action}")
        for key, get, posts in (
            (OWN, THREAD_OWN, {"akkoord": CONFIRM_OWN, "niet_akkoord": CONFIRM_OWN, "reactie": COMMENT_OWN}),
            (OTHER, THREAD_OTHER, {"akkoord": CONFIRM_OTHER, "niet_akkoord": CONFIRM_OTHER, "reactie": COMMENT_OTHER}),
        )
        for action, post in posts.items()
    ],
    Row("agreements:region_afstemming_agree_all", _agree_all_url(OWN), NOT_ALLOWED, CONFIRM_OWN, _agree_all_data(OWN), OWN),
    Row("agreements:region_afstemming_agree_all", _agree_all_url(OTHER), NOT_ALLOWED, CONFIRM_OTHER, _agree_all_data(OTHER), OTHER),
    Row("agreements:afstemming_overview", lambda o: reverse("agreements:afstemming_overview"), codes(regio=403), NOT_ALLOWED),
    # the user's own mail setting: the POST without the box ticked switches the afstemming e-mails off
    Row("pages:mail_settings", lambda o: reverse("pages:mail_settings"), ROLE, saved(ROLE), lambda o: {}),
    # dashboard
    Row("dashboard:index", lambda o: reverse("dashboard:index"), ROLE, NOT_ALLOWED),
    Row("dashboard:trend", lambda o: reverse("dashboard:trend"), ROLE, NOT_ALLOWED),
    Row("dashboard:lagging", lambda o: reverse("dashboard:lagging"), VNG, NOT_ALLOWED),
    Row("dashboard:about", lambda o: reverse("dashboard:about"), ROLE, NOT_ALLOWED),
    Row("dashboard:export", lambda o: reverse("dashboard:export", args=["csv"]), ROLE, NOT_ALLOWED, label="csv"),
    Row("dashboard:export", lambda o: reverse("dashboard:export", args=["xlsx"]), ROLE, NOT_ALLOWED, label="xlsx"),
    # releasing a month for the public dashboard, and withdrawing it: VNG-medewerkers and Beheerders, POST only
    Row(
        "dashboard:release",
        lambda o: reverse("dashboard:release", args=[f"{o['snapshot'].month:%Y-%m}"]),
        NOT_ALLOWED,
        saved(VNG),
        lambda o: {},
    ),
    Row(
        "dashboard:withdraw",
        lambda o: reverse("dashboard:withdraw", args=[f"{o['released'].month:%Y-%m}"]),
        NOT_ALLOWED,
        saved(VNG),
        lambda o: {},
    ),
    # support and the network
    Row(
        "support:support_action_create",
        _slug("support:support_action_create", "region"),
        VNG,
        saved(VNG),
        _action_data,
    ),
    Row(
        "support:support_action_edit",
        lambda o: reverse("support:support_action_edit", args=[o["action"].pk]),
        VNG,
        saved(VNG),
        _action_data,
    ),
    # The list and the calendar file only read: a POST is answered like a GET and changes nothing.
    Row("support:meeting_list", lambda o: reverse("support:meeting_list"), ROLE, ROLE),
    Row("support:meeting_ics", lambda o: reverse("support:meeting_ics", args=[o["meeting"].pk]), ROLE, ROLE),
    Row("support:meeting_create", lambda o: reverse("support:meeting_create"), VNG, saved(VNG), _meeting_data),
    Row("support:meeting_edit", lambda o: reverse("support:meeting_edit", args=[o["meeting"].pk]), VNG, saved(VNG), _meeting_data),
    Row(
        "support:meeting_attendance",
        lambda o: reverse("support:meeting_attendance", args=[o["meeting"].pk]),
        VNG,
        saved(VNG),
        _attendance_data,
    ),
    Row("support:network_contacts", lambda o: reverse("support:network_contacts", args=["ambtelijk"]), VNG, VNG),
    Row("support:network_contacts_csv", lambda o: reverse("support:network_contacts_csv", args=["bestuurlijk"]), VNG, VNG),
    # the public dashboard: the same page for every visitor when PUBLIC_DASHBOARD is on; when off it does not exist
    *[
        Row(name, url, get, post, label=label, settings=overrides)
        for name, url in [
            ("public:index", lambda o: reverse("public:index")),
            ("public:trend", lambda o: reverse("public:trend")),
            ("public:region", _slug("public:region", "region")),
            ("public:agreement", lambda o: reverse("public:agreement", args=[1])),
        ]
        for label, get, post, overrides in [("aan", EVERYONE, NOT_ALLOWED, PUBLIC_ON), ("uit", NOT_FOUND, NOT_FOUND, PUBLIC_OFF)]
    ],
    # operations: the health check is for the load balancer, without signing in
    Row("operations:healthz", lambda o: reverse("operations:healthz"), EVERYONE, NOT_ALLOWED),
    # sign-in pages: for everyone (a POST without the sign-in wizard's fields is a bad request; signing out is a POST)
    Row("login", lambda o: reverse("login"), EVERYONE, dict.fromkeys(USERS, 400)),
    Row("logout", lambda o: reverse("logout"), NOT_ALLOWED, dict.fromkeys(USERS, 302)),
    # accounts: the user pages are for Beheerders only; their actions are POSTs (a valid one saves). "Mijn gegevens"
    # and the password change for every signed-in user, also without a role (a POST without data changes nothing);
    # the password reset, invitation and signed-out pages for everyone.
    Row("accounts:user_list", lambda o: reverse("accounts:user_list") + "?q=a&rol=Beheerder&regio=regio-eigen", EDIT_OTHER, NOT_ALLOWED),
    Row("accounts:user_invite", lambda o: reverse("accounts:user_invite"), EDIT_OTHER, saved(EDIT_OTHER), _invite_data),
    Row(
        "accounts:user_detail",
        _user("accounts:user_detail"),
        EDIT_OTHER,
        saved(EDIT_OTHER),
        lambda o: {"role": Role.REGIO_ADVISEUR, "regions": [o["other"].pk]},
    ),
    Row("accounts:user_deactivate", _user("accounts:user_deactivate"), NOT_ALLOWED, saved(EDIT_OTHER), lambda o: {}),
    Row("accounts:user_reactivate", _user("accounts:user_reactivate", "deactivated"), NOT_ALLOWED, saved(EDIT_OTHER), lambda o: {}),
    Row("accounts:invitation_resend", _user("accounts:invitation_resend", "invited"), NOT_ALLOWED, saved(EDIT_OTHER), lambda o: {}),
    Row("accounts:invitation_withdraw", _user("accounts:invitation_withdraw", "invited"), NOT_ALLOWED, saved(EDIT_OTHER), lambda o: {}),
    Row("accounts:user_two_factor_reset", _user("accounts:user_two_factor_reset"), NOT_ALLOWED, saved(EDIT_OTHER), lambda o: {}),
    # The new key is shown on the answer itself (200), never behind a redirect.
    Row("accounts:user_token_create", _user("accounts:user_token_create"), NOT_ALLOWED, EDIT_OTHER, lambda o: {}, extra={"saved": 200}),
    Row("accounts:user_token_revoke", _user("accounts:user_token_revoke"), NOT_ALLOWED, saved(EDIT_OTHER), lambda o: {}),
    Row("accounts:profile", lambda o: reverse("accounts:profile"), codes(zonder_rol=200), codes(zonder_rol=200)),
    Row("password_change", lambda o: reverse("password_change"), codes(zonder_rol=200), codes(zonder_rol=200)),
    # Django's view asks for a sign-in before it looks at the method.
    Row("password_change_done", lambda o: reverse("password_change_done"), codes(zonder_rol=200), NOT_ALLOWED | {"anoniem": 302}),
    Row("password_reset", lambda o: reverse("password_reset"), EVERYONE, EVERYONE),
    Row("password_reset_done", lambda o: reverse("password_reset_done"), EVERYONE, NOT_ALLOWED),
    Row("password_reset_confirm", lambda o: reverse("password_reset_confirm", args=["MQ", "ongeldig"]), EVERYONE, EVERYONE),
    Row("password_reset_complete", lambda o: reverse("password_reset_complete"), EVERYONE, NOT_ALLOWED),
    Row("accounts:invitation_new_link", lambda o: reverse("accounts:invitation_new_link"), EVERYONE, EVERYONE),
    Row("accounts:invitation_accept", lambda o: reverse("accounts:invitation_accept", args=["ongeldig"]), EVERYONE, EVERYONE),
    Row("accounts:logged_out", lambda o: reverse("accounts:logged_out"), EVERYONE, NOT_ALLOWED),
    # Sign-in with the organisation's account is off by default: not there at all (on: test_accounts_browser.py).
    Row("accounts:oidc_login", lambda o: reverse("accounts:oidc_login"), dict.fromkeys(USERS, 404), dict.fromkeys(USERS, 404)),
    Row(
        "accounts:oidc_callback",
        lambda o: reverse("accounts:oidc_callback") + "?code=c&state=s",
        dict.fromkeys(USERS, 404),
        dict.fromkeys(USERS, 404),
    ),
    # the API: read-only except a status's PUT/PATCH (api/tests/test_api.py)
    Row("api:api-root", lambda o: reverse("api:api-root"), API, API_READ_ONLY),
    Row("api:schema", lambda o: reverse("api:schema"), API, API_READ_ONLY),
    Row("api:docs", lambda o: reverse("api:docs"), API, API_READ_ONLY),
    Row("api:region-list", lambda o: reverse("api:region-list"), API, API_READ_ONLY),
    Row("api:region-detail", lambda o: reverse("api:region-detail", args=[o["region"].slug]), API, API_READ_ONLY),
    Row("api:agreement-list", lambda o: reverse("api:agreement-list"), API, API_READ_ONLY),
    Row("api:agreement-detail", lambda o: reverse("api:agreement-detail", args=[1]), API, API_READ_ONLY),
    Row("api:status-list", lambda o: reverse("api:status-list"), API, API_READ_ONLY),
    Row("api:status-detail", lambda o: reverse("api:status-detail", args=[o["status"].pk]), API, API_READ_ONLY),
    Row("api:contact-list", lambda o: reverse("api:contact-list"), API, API_READ_ONLY),
    Row("api:contact-detail", lambda o: reverse("api:contact-detail", args=[o["contact"].pk]), API, API_READ_ONLY),
    Row("api:snapshot-list", lambda o: reverse("api:snapshot-list"), API, API_READ_ONLY),
    Row("api:snapshot-detail", lambda o: reverse("api:snapshot-detail", args=[o["snapshot"].pk]), API, API_READ_ONLY),
]
CASES = [(row.key, user, method) for row in ROWS for method in ("get", "post") for user in USERS]
ROW_BY_KEY = {row.key: row for row in ROWS}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<{pattern.pattern}>"


def test_every_url_has_a_matrix_row():
    names = {name for name in _url_names(get_resolver().url_patterns) if name.split(":")[0] not in EXEMPT_NAMESPACES}
    assert names - {row.name for row in ROWS} == set(), "a URL without a row in the permission matrix"
    assert {row.name for row in ROWS} - names == set(), "a matrix row for a URL that is gone"


@pytest.mark.parametrize(("key", "user_key", "method"), CASES)
def test_role_url_method_matrix(client, settings, users, objects, key, user_key, method):
    row = ROW_BY_KEY[key]
    for name, value in row.settings.items():
        setattr(settings, name, value)
    expected = getattr(row, method)[user_key]
    if users[user_key] is not None:
        client.force_login(users[user_key])
    url = row.url(objects)
    before = _state()
    data = row.data(objects) if method == "post" and row.data else {}
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected
    saves = method == "post" and row.data is not None and expected == row.extra.get("saved", 302) and user_key != "anoniem"
    assert (_state() != before) == saves, "a refused or read-only request changed something" if not saves else "the save saved nothing"
    if expected == 302 and user_key == "anoniem" and row.name != "logout":
        assert response.url.startswith("/inloggen/?next=")


@pytest.mark.parametrize("page", ["pages:region_detail", "pages:region_history", "regions:contacts_edit", "regions:adoptions_edit"])
def test_unknown_region_is_404(client, users, page):
    client.force_login(users["beheerder"])
    assert client.get(reverse(page, args=["bestaat-niet"])).status_code == 404


@pytest.mark.parametrize("number", [2, 9])
def test_unknown_agreement_is_404(client, users, regions, number):
    client.force_login(users["adviseur"])
    assert client.get(f"/regios/{regions[OWN].slug}/afspraken/{number}/bewerken/").status_code == 404


def test_refusal_is_a_dutch_403_page(client, users, regions):
    client.force_login(users["adviseur"])
    response = client.post(f"/regios/{regions[OTHER].slug}/afspraken/1/bewerken/", STATUS_DATA)
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize(
    ("user_key", "start"), [("adviseur", "/mijn-regios/"), ("regio", "/mijn-regios/"), ("vng", "/dashboard/"), ("beheerder", "/dashboard/")]
)
def test_home_sends_each_role_to_its_start_page(client, users, user_key, start):
    client.force_login(users[user_key])
    assert client.get("/").url == start


def test_contacts_are_never_shown_to_anonymous_visitors(client, regions):
    from regions.tests.factories import ContactPersonFactory

    contact = ContactPersonFactory(region=regions[OWN], email="geheim@example.org")
    for url in (f"/regios/{regions[OWN].slug}/", f"/regios/{regions[OWN].slug}/geschiedenis/", "/regios/"):
        response = client.get(url, follow=True)
        assert contact.email not in response.content.decode()
        assert contact.name not in response.content.decode()


# --- The menu and the links agree with the permissions (issue 16): a role sees no link to a page it may not use. ---

LINK = re.compile(r'<a [^>]*href="(/[^"#]*)')


def _links(html: str) -> set[str]:
    return {unescape(href) for href in LINK.findall(html)}


@pytest.mark.parametrize("user_key", ["beheerder", "vng", "adviseur", "regio"])
def test_no_page_links_a_role_to_a_page_it_may_not_use(client, users, objects, user_key):
    """Every menu item opens for the role, and every link on the pages it reaches from the menu (and on a region
    page) opens too: no link ends on "geen toegang"."""
    from nvo_tracker.context_processors import NAVIGATION

    user = users[user_key]
    client.force_login(user)
    menu = [reverse(url_name) for _, url_name, allowed in NAVIGATION if allowed(user)]
    visited, links = set(), set()
    for url in menu + ["/regios/regio-eigen/", "/regios/regio-andere/"]:
        response = client.get(url)
        assert response.status_code == 200, f"{user_key}: menu item {url} answers {response.status_code}"
        visited.add(url)
        if response.get("Content-Type", "").startswith("text/html"):
            links |= _links(response.content.decode())
    refused = {}
    for url in sorted(links - visited):
        status = client.get(url).status_code
        if status == 403:
            refused[url] = status
    assert refused == {}, f"{user_key} is linked to pages it may not use"
    for _, url_name, allowed in NAVIGATION:  # and the menu lists no page the role may not use
        if not allowed(user):
            assert reverse(url_name) not in menu
            assert client.get(reverse(url_name)).status_code in (302, 403), f"{user_key} may use {url_name} but has no menu item"
