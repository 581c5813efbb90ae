"""Every write service records who, when, what and old → new in the audit log, inside its own transaction."""

import inspect
import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import import_module

import pytest
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts_services
from accounts.roles import Role
from accounts.services import user_afstemming_mail_set, user_create
from agreements.models import AgreementStatus, Status
from agreements.services import (
    AgreementDefinition,
    agreements_load,
    region_statuses_agree,
    status_agree,
    status_comment_add,
    status_disagree,
    status_import_apply,
    status_update,
    statuses_ensure_all,
)
from agreements.spreadsheets import PlannedChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from core.models import AuditEvent
from regions.division import division_load_reference, division_reference_rows
from regions.services import (
    adoption_save,
    contact_person_erase,
    contact_remove,
    contact_save,
)
from regions.tests.factories import ContactPersonFactory, MunicipalityFactory, RegionFactory
from support.services import (
    meeting_attendance_set,
    meeting_create,
    meeting_update,
    support_action_create,
    support_action_update,
)
from support.tests.factories import NetworkMeetingFactory, SupportActionFactory

# Public functions of the services modules that write nothing the audit log must hold, and why.
NOT_AUDITED = {
    "accounts.services.roles_ensure": "creates the four fixed role groups after every migrate",
    "accounts.services.invitation_for_token": "a read",
    "accounts.services.link_request_allowed": "counts requests for a link in the cache",
    "agreements.services.agreement_definitions_from_file": "reads the shipped file",
    "regions.division.division_rows_from_csv": "parses a file",
    "regions.division.division_reference_rows": "reads the shipped file",
    "regions.division.division_preview": "a read: what an import would change",
    "dashboard.services.month_start": "date arithmetic",
    "dashboard.services.lowest_quartile_threshold": "arithmetic",
    "dashboard.services.lagging_reason": "text",
    "dashboard.services.dashboard_rebuild": "a snapshot derived from the audited status history, rebuilt at will",
    "dashboard.services.dashboard_rebuild_history": "rebuilds snapshots (see dashboard_rebuild)",
    "dashboard.services.dashboard_digest_send": "sends e-mail, writes nothing",
    "dashboard.services.dashboard_month_ensure": "builds a missing snapshot (see dashboard_rebuild)",
    "dashboard.services.dashboard_monthly_run": "the scheduled job: builds missing snapshots, mails the digest once",
    "dashboard.services.dashboard_digest_send_once": "its MonthlyDigest row is itself the record of the mail sent",
    "support.services.monthly_digest_send": "sends e-mail, writes nothing",
    "agreements.services.afstemming_mails_send": "sends e-mail; its AfstemmingMail rows only record what was sent (no data change)",
}
SERVICE_MODULES = [
    "accounts.services",
    "agreements.services",
    "regions.services",
    "regions.division",
    "support.services",
    "dashboard.services",
]


@dataclass
class Case:
    """A write to make (`call`) by `actor`, and what its audit event must say."""

    actor: object
    call: object
    model: str
    action: str
    old: dict | None = None
    new: dict | None = None
    fields: list[str] | None = None
    secrets: list[str] = field(default_factory=list)  # personal data that must not reach the audit log
    events: int = 1  # an import records each status it changes and then itself


def _status_update(make_user):
    agreement_status = AgreementStatusFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [agreement_status.region])
    return Case(
        adviseur,
        lambda: status_update(
            agreement_status=agreement_status,
            expected_version=1,
            user=adviseur,
            status=Status.IN_UITVOERING,
            criteria_met=[],
            explanation="Gestart.",
            evidence_links=[],
        ),
        "agreements.AgreementStatus",
        "gewijzigd",
        old={"status": Status.ONBEKEND, "explanation": ""},
        new={"status": Status.IN_UITVOERING, "explanation": "Gestart."},
        events=2,  # the change and its afstemming step (ter afstemming)
    )


def _status_import(make_user):
    agreement_status = AgreementStatusFactory()
    beheerder = make_user(Role.BEHEERDER)
    change = PlannedChange(
        status_id=agreement_status.pk,
        version=1,
        region=agreement_status.region.name,
        agreement=agreement_status.agreement.number,
        old=Status.ONBEKEND,
        new=Status.NIET_GESTART,
    )
    return Case(
        beheerder, lambda: status_import_apply(user=beheerder, changes=[change]), "agreements.AgreementStatus", "geïmporteerd", events=3
    )


def _agreements_load(make_user):
    definition = AgreementDefinition(number=3, title="Nieuw", text="Tekst.", criteria=("Eerste criterium",))
    return Case(None, lambda: agreements_load(definitions=[definition]), "agreements.Agreement", "geïmporteerd")


def _statuses_ensure_all(make_user):
    RegionFactory(), AgreementFactory()
    return Case(None, statuses_ensure_all, "agreements.AgreementStatus", "aangemaakt")


def _contact_create(make_user):
    region = RegionFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [region])
    return Case(
        adviseur,
        lambda: contact_save(
            region=region, kind="ambtelijk", position="primair", expected_version=0, user=adviseur, name="Zeldzame Naam", phone="0612"
        ),
        "regions.ContactPerson",
        "aangemaakt",
        fields=["name", "phone"],
        secrets=["Zeldzame Naam", "0612"],
    )


def _contact_change(make_user):
    contact = ContactPersonFactory(name="Oude Naam", email="oud@example.org")
    adviseur = make_user(Role.REGIO_ADVISEUR, [contact.region])
    return Case(
        adviseur,
        lambda: contact_save(
            region=contact.region,
            kind=contact.kind,
            position=contact.position,
            expected_version=1,
            user=adviseur,
            name="Oude Naam",
            function=contact.function,
            organisation=contact.organisation,
            email="nieuw@example.org",
            phone=contact.phone,
        ),
        "regions.ContactPerson",
        "gewijzigd",
        fields=["email"],
        secrets=["Oude Naam", "oud@example.org", "nieuw@example.org"],
    )


def _contact_remove(make_user):
    contact = ContactPersonFactory(name="Weg Persoon", email="weg@example.org")
    adviseur = make_user(Role.REGIO_ADVISEUR, [contact.region])
    return Case(
        adviseur,
        lambda: contact_remove(region=contact.region, kind=contact.kind, position=contact.position, expected_version=1, user=adviseur),
        "regions.ContactPerson",
        "verwijderd",
        fields=["email", "function", "name", "organisation", "phone"],
        secrets=["Weg Persoon", "weg@example.org"],
    )


def _contact_erase(make_user):
    contact = ContactPersonFactory(name="Gewiste Persoon", email="gewist@example.org")
    beheerder = make_user(Role.BEHEERDER)
    return Case(
        beheerder,
        lambda: contact_person_erase(contact=contact, by=beheerder),
        "regions.ContactPerson",
        "gewist",
        secrets=["Gewiste Persoon", "gewist@example.org"],
    )


def _adoption_save(make_user):
    municipality = MunicipalityFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [municipality.region])
    return Case(
        adviseur,
        lambda: adoption_save(
            municipality=municipality,
            expected_version=0,
            user=adviseur,
            decision_date=date(2025, 3, 1),
            decision_url="https://example.org/b",
        ),
        "regions.RegiovisieAdoption",
        "aangemaakt",
        old=None,
        new={"decision_date": "2025-03-01", "decision_url": "https://example.org/b"},
    )


def _support_action_create(make_user):
    region, vng = RegionFactory(), make_user(Role.VNG_MEDEWERKER)
    return Case(
        vng,
        lambda: support_action_create(
            user=vng, region=region, agreement=None, kind="gesprek", date=date(2025, 5, 1), vng_staff=vng, summary="Eerste gesprek."
        ),
        "support.SupportAction",
        "aangemaakt",
        old=None,
        new={"kind": "gesprek", "date": "2025-05-01", "summary": "Eerste gesprek.", "status": "open"},
    )


def _support_action_update(make_user):
    action, vng = SupportActionFactory(), make_user(Role.VNG_MEDEWERKER)
    return Case(
        vng,
        lambda: support_action_update(
            action=action,
            expected_version=1,
            user=vng,
            agreement=None,
            kind=action.kind,
            date=action.date,
            vng_staff=action.vng_staff,
            summary=action.summary,
            next_step=action.next_step,
            next_step_due=action.next_step_due,
            status="afgerond",
        ),
        "support.SupportAction",
        "gewijzigd",
        old={"status": "open"},
        new={"status": "afgerond"},
    )


def _meeting_create(make_user):
    vng, starts = make_user(Role.VNG_MEDEWERKER), timezone.now().replace(microsecond=0) + timedelta(days=7)
    return Case(
        vng,
        lambda: meeting_create(user=vng, network="ambtelijk", starts_at=starts, ends_at=starts + timedelta(hours=2), format="online"),
        "support.NetworkMeeting",
        "aangemaakt",
        old=None,
        new={"network": "ambtelijk", "format": "online"},
    )


def _meeting_update(make_user):
    meeting, vng = NetworkMeetingFactory(), make_user(Role.VNG_MEDEWERKER)
    return Case(
        vng,
        lambda: meeting_update(
            meeting=meeting,
            expected_version=1,
            user=vng,
            network=meeting.network,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            format="online",
            location="",
            agenda=meeting.agenda,
        ),
        "support.NetworkMeeting",
        "gewijzigd",
        old={"format": "fysiek", "location": "VNG, Nassaulaan 12, Den Haag"},
        new={"format": "online", "location": ""},
    )


def _meeting_attendance(make_user):
    meeting, region, vng = NetworkMeetingFactory(), RegionFactory(), make_user(Role.VNG_MEDEWERKER)
    return Case(
        vng,
        lambda: meeting_attendance_set(meeting=meeting, user=vng, represented_by={region.pk: "vervanger"}),
        "support.NetworkMeeting",
        "aanwezigheid",
        old={},
        new={str(region.pk): "vervanger"},
    )


def _user_create(make_user):
    beheerder, region = make_user(Role.BEHEERDER), RegionFactory()
    return Case(
        beheerder,
        lambda: user_create(
            username="nieuw", password="een-lang-wachtwoord-123", role=Role.REGIO_ADVISEUR, regions=[region], by=beheerder, email="n@x.nl"
        ),
        "accounts.User",
        "aangemaakt",
        old=None,
        new={"username": "nieuw", "role": "Regio-adviseur", "regions": [region.pk]},
        secrets=["n@x.nl", "een-lang-wachtwoord-123"],
    )


def _asked_status(make_user):
    """A status an adviser changed (ter afstemming at version 2), its region's regio-gebruiker and its adviser."""
    agreement_status = AgreementStatusFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [agreement_status.region])
    regio = make_user(Role.REGIO_GEBRUIKER, [agreement_status.region])
    status_update(
        agreement_status=agreement_status,
        expected_version=1,
        user=adviseur,
        status=Status.IN_UITVOERING,
        criteria_met=[],
        explanation="",
        evidence_links=[],
    )
    return agreement_status, regio, adviseur


def _status_agree(make_user):
    agreement_status, regio, _ = _asked_status(make_user)
    return Case(
        regio,
        lambda: status_agree(agreement_status=agreement_status, expected_version=2, user=regio),
        "agreements.AfstemmingStep",
        "aangemaakt",
        old={"afstemming": "ter_afstemming"},
        new={"afstemming": "afgestemd"},
    )


def _status_disagree(make_user):
    agreement_status, regio, _ = _asked_status(make_user)
    return Case(
        regio,
        lambda: status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Wij zijn verder."),
        "agreements.AfstemmingStep",
        "aangemaakt",
        old={"afstemming": "ter_afstemming", "reason": ""},
        new={"afstemming": "niet_akkoord", "reason": "Wij zijn verder."},
    )


def _region_statuses_agree(make_user):
    agreement_status, regio, _ = _asked_status(make_user)
    return Case(
        regio,
        lambda: region_statuses_agree(region=agreement_status.region, expected_versions={agreement_status.pk: 2}, user=regio),
        "agreements.AfstemmingStep",
        "aangemaakt",
        old={"afstemming": "ter_afstemming"},
        new={"afstemming": "afgestemd"},
    )


def _status_comment_add(make_user):
    agreement_status, _, adviseur = _asked_status(make_user)
    return Case(
        adviseur,
        lambda: status_comment_add(agreement_status=agreement_status, user=adviseur, text="Graag uw reactie."),
        "agreements.StatusComment",
        "aangemaakt",
        old=None,
        new={"text": "Graag uw reactie."},
    )


def _mail_setting(make_user):
    regio = make_user(Role.REGIO_GEBRUIKER)
    return Case(
        regio,
        lambda: user_afstemming_mail_set(user=regio, enabled=False),
        "accounts.User",
        "gewijzigd",
        old={"afstemming_mail": True},
        new={"afstemming_mail": False},
    )


def _snapshot_release(make_user):
    from dashboard.services import dashboard_rebuild, snapshot_release

    snapshot, vng = dashboard_rebuild(month=timezone.localdate()), make_user(Role.VNG_MEDEWERKER)
    return Case(
        vng,
        lambda: snapshot_release(snapshot=snapshot, user=vng),
        "dashboard.DashboardSnapshot",
        "gepubliceerd",
        old={"released_at": None},
        new={},  # the moment of release: checked in dashboard/tests/test_release.py
    )


def _snapshot_withdraw(make_user):
    from dashboard.services import dashboard_rebuild, snapshot_release, snapshot_withdraw

    snapshot, vng = dashboard_rebuild(month=timezone.localdate()), make_user(Role.VNG_MEDEWERKER)
    snapshot_release(snapshot=snapshot, user=vng)
    return Case(
        vng,
        lambda: snapshot_withdraw(snapshot=snapshot, user=vng),
        "dashboard.DashboardSnapshot",
        "publicatie ingetrokken",
        old={},
        new={"released_at": None},
    )


def _invited(make_user):
    from django.core import mail

    beheerder = make_user(Role.BEHEERDER)
    user = accounts_services.user_invite(
        actor=beheerder, email="genodigd@example.org", first_name="Gen", last_name="Odigd", role=Role.VNG_MEDEWERKER
    )
    token = mail.outbox[-1].body.split("/uitnodiging/")[1].split("/")[0]
    return beheerder, user, token


def _user_invite(make_user):
    beheerder, region = make_user(Role.BEHEERDER), RegionFactory()
    return Case(
        beheerder,
        lambda: accounts_services.user_invite(
            actor=beheerder, email="n@x.nl", first_name="Nina", last_name="Nieuw", role=Role.REGIO_ADVISEUR, regions=[region]
        ),
        "accounts.User",
        "uitgenodigd",
        old=None,
        new={"role": "Regio-adviseur", "regions": [region.code]},
    )


def _invitation_resend(make_user):
    beheerder, user, token = _invited(make_user)
    call = lambda: accounts_services.invitation_resend(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "uitnodiging opnieuw verstuurd", secrets=[token])


def _invitation_withdraw(make_user):
    beheerder, user, token = _invited(make_user)
    call = lambda: accounts_services.invitation_withdraw(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "uitnodiging ingetrokken", secrets=[token])


def _invitation_accept(make_user):
    _beheerder, user, token = _invited(make_user)
    password = "Zonnige-Dijk-2026!"  # noqa: S105 - test value
    call = lambda: accounts_services.invitation_accept(token=token, password=password)  # noqa: E731
    return Case(user, call, "accounts.User", "uitnodiging geaccepteerd", secrets=[token, password])


def _invitation_request_new_link(make_user):
    _beheerder, _user, token = _invited(make_user)
    call = lambda: accounts_services.invitation_request_new_link(email="genodigd@example.org")  # noqa: E731
    return Case(None, call, "accounts.User", "nieuwe uitnodigingslink", secrets=[token])


def _user_update(make_user):
    beheerder, old, new = make_user(Role.BEHEERDER), RegionFactory(), RegionFactory()
    user = make_user(Role.REGIO_GEBRUIKER, [old])
    return Case(
        beheerder,
        lambda: accounts_services.user_update(actor=beheerder, user=user, role=Role.REGIO_ADVISEUR, regions=[new]),
        "accounts.User",
        "gewijzigd",
        old={"role": "Regio-gebruiker", "regions": [old.code]},
        new={"role": "Regio-adviseur", "regions": [new.code]},
    )


def _user_deactivate(make_user):
    beheerder, user = make_user(Role.BEHEERDER), make_user(Role.REGIO_GEBRUIKER)
    call = lambda: accounts_services.user_deactivate(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "gedeactiveerd", old={"is_active": True}, new={"is_active": False})


def _user_reactivate(make_user):
    beheerder, user = make_user(Role.BEHEERDER), make_user(Role.REGIO_GEBRUIKER, is_active=False)
    call = lambda: accounts_services.user_reactivate(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "geheractiveerd", old={"is_active": False}, new={"is_active": True})


def _user_two_factor_reset(make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    beheerder, user = make_user(Role.BEHEERDER), make_user(Role.VNG_MEDEWERKER)
    device = TOTPDevice.objects.create(user=user, name="telefoon")
    call = lambda: accounts_services.user_two_factor_reset(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "tweestapsverificatie gereset", secrets=[device.key])


def _user_token_create(make_user):
    from rest_framework.authtoken.models import Token

    beheerder, user = make_user(Role.BEHEERDER), make_user(Role.VNG_MEDEWERKER)
    old_key = Token.objects.create(user=user).key
    call = lambda: accounts_services.user_token_create(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "API-token aangemaakt", secrets=[old_key])


def _user_token_revoke(make_user):
    from rest_framework.authtoken.models import Token

    beheerder, user = make_user(Role.BEHEERDER), make_user(Role.VNG_MEDEWERKER)
    key = Token.objects.create(user=user).key
    call = lambda: accounts_services.user_token_revoke(actor=beheerder, user=user)  # noqa: E731
    return Case(beheerder, call, "accounts.User", "API-token ingetrokken", secrets=[key])


def _user_profile_update(make_user):
    user = make_user(Role.REGIO_GEBRUIKER, first_name="Oud", last_name="Naam")
    return Case(
        user,
        lambda: accounts_services.user_profile_update(user=user, first_name="Nieuw", last_name="Naam", email="nieuw@x.nl"),
        "accounts.User",
        "gewijzigd",
        fields=["email", "first_name"],
        secrets=["nieuw@x.nl", "Nieuw"],
    )


def _password_change_audit(make_user):
    user = make_user(Role.REGIO_GEBRUIKER)
    call = lambda: accounts_services.password_change_audit(user=user, how="gewijzigd")  # noqa: E731
    return Case(user, call, "accounts.User", "wachtwoord gewijzigd")


CASES = {
    "agreements.services.status_update": _status_update,
    "agreements.services.status_agree": _status_agree,
    "agreements.services.status_disagree": _status_disagree,
    "agreements.services.region_statuses_agree": _region_statuses_agree,
    "agreements.services.status_comment_add": _status_comment_add,
    "accounts.services.user_afstemming_mail_set": _mail_setting,
    "agreements.services.status_import_apply": _status_import,
    "agreements.services.agreements_load": _agreements_load,
    "agreements.services.statuses_ensure_all": _statuses_ensure_all,
    "regions.services.contact_save (new)": _contact_create,
    "regions.services.contact_save": _contact_change,
    "regions.services.contact_remove": _contact_remove,
    "regions.services.contact_person_erase": _contact_erase,
    "regions.services.adoption_save": _adoption_save,
    "support.services.support_action_create": _support_action_create,
    "support.services.support_action_update": _support_action_update,
    "support.services.meeting_create": _meeting_create,
    "support.services.meeting_update": _meeting_update,
    "support.services.meeting_attendance_set": _meeting_attendance,
    "accounts.services.user_create": _user_create,
    "dashboard.services.snapshot_release": _snapshot_release,
    "dashboard.services.snapshot_withdraw": _snapshot_withdraw,
    "accounts.services.user_invite": _user_invite,
    "accounts.services.invitation_resend": _invitation_resend,
    "accounts.services.invitation_withdraw": _invitation_withdraw,
    "accounts.services.invitation_accept": _invitation_accept,
    "accounts.services.invitation_request_new_link": _invitation_request_new_link,
    "accounts.services.user_update": _user_update,
    "accounts.services.user_deactivate": _user_deactivate,
    "accounts.services.user_reactivate": _user_reactivate,
    "accounts.services.user_two_factor_reset": _user_two_factor_reset,
    "accounts.services.user_token_create": _user_token_create,
    "accounts.services.user_token_revoke": _user_token_revoke,
    "accounts.services.user_profile_update": _user_profile_update,
    "accounts.services.password_change_audit": _password_change_audit,
}


@pytest.mark.parametrize("name", CASES)
def test_every_write_service_records_who_when_what_and_old_to_new(db, make_user, name):
    case = CASES[name](make_user)
    AuditEvent.objects.all().delete()
    before = timezone.now()
    case.call()
    assert AuditEvent.objects.count() == case.events
    event = AuditEvent.objects.order_by("id").last()
    assert event.kind == AuditEvent.Kind.DATA_CHANGE
    assert (event.actor, event.username) == (case.actor, case.actor.username if case.actor else "")  # who
    assert before <= event.created_at <= timezone.now()  # when
    assert (event.details["model"], event.details["action"]) == (case.model, case.action)  # what
    assert event.object_description
    if case.old is not None or case.new is not None or "old" in event.details:  # old → new
        assert (event.details["old"] is None) == (case.old is None)
        assert (event.details["new"] is None) == (case.new is None)
        for side, expected in (("old", case.old), ("new", case.new)):
            for key, value in (expected or {}).items():
                assert event.details[side][key] == value, (side, key)
    if case.fields is not None:  # personal data: which fields changed, never their values
        assert event.details["fields"] == case.fields
        assert "old" not in event.details and "new" not in event.details
    stored = json.dumps(event.details) + event.object_description
    for secret in case.secrets:
        assert secret not in stored


def test_every_public_service_function_is_audited_or_named_as_no_write():
    names = {
        f"{module}.{name}"
        for module in SERVICE_MODULES
        for name, function in inspect.getmembers(import_module(module), inspect.isfunction)
        if function.__module__ == module and not name.startswith("_")
    }
    # The division services are audited in the test below and in regions/tests/test_division.py.
    covered = {name.split(" ")[0] for name in CASES} | {"regions.division.division_import", "regions.division.division_load_reference"}
    assert names - covered - set(NOT_AUDITED) == set(), "a write service without an audit test case"
    assert set(NOT_AUDITED) <= names, "NOT_AUDITED names a function that is gone"


def test_the_audit_event_is_rolled_back_with_its_change(make_user):
    agreement_status = AgreementStatusFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [agreement_status.region])
    with pytest.raises(RuntimeError), transaction.atomic():
        status_update(
            agreement_status=agreement_status,
            expected_version=1,
            user=adviseur,
            status=Status.NIET_GESTART,
            criteria_met=[],
            explanation="",
            evidence_links=[],
        )
        raise RuntimeError("rollback")
    assert not AuditEvent.objects.exists()
    assert AgreementStatus.objects.get().version == 1


def test_a_division_import_that_changes_something_is_audited(reference_data, make_user):
    beheerder = make_user(Role.BEHEERDER)
    rows = division_reference_rows()
    AuditEvent.objects.all().delete()  # loading the reference data was itself audited
    division_load_reference(rows=rows, user=beheerder)
    assert not AuditEvent.objects.exists()  # idempotent: nothing changed, nothing to audit
    target = next(row for row in rows if row.municipality != row.centrumgemeente)
    division_load_reference(rows=[replace(row, municipality="Nieuwdorp aan Zee") if row == target else row for row in rows], user=beheerder)
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor) == (AuditEvent.Kind.DATA_CHANGE, beheerder)
    assert event.object_description == "Regio-indeling geladen uit het referentiebestand"
    assert event.details["municipalities_renamed"] == 1


def test_a_write_that_changes_nothing_leaves_no_audit_event(make_user):
    contact = ContactPersonFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [contact.region])
    AuditEvent.objects.all().delete()
    fields = {name: getattr(contact, name) for name in ("name", "function", "organisation", "email", "phone")}
    kwargs = {"region": contact.region, "kind": contact.kind, "position": contact.position, "expected_version": 1, "user": adviseur}
    assert contact_save(**kwargs, **fields) is None
    assert not AuditEvent.objects.exists()
