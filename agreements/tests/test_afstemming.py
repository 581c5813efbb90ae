"""Afstemming: the region agrees or disagrees (with a reason) with every change; comments; the daily e-mails."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.roles import Role
from agreements.models import (
    AFSTEMMING_REASON_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    Afstemming,
    AfstemmingMail,
    AfstemmingStep,
    AgreementStatus,
    Status,
    StatusComment,
)
from agreements.services import (
    MAX_COMMENTS_PER_STATUS,
    afstemming_mails_send,
    region_statuses_agree,
    status_agree,
    status_comment_add,
    status_disagree,
    status_update,
)
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from core.dates import months_earlier
from core.errors import ApplicationError, ConflictError
from core.models import AuditEvent
from dashboard.services import dashboard_rebuild
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement_status(db):
    return AgreementStatusFactory()


@pytest.fixture
def adviseur(make_user, agreement_status):
    return make_user(Role.REGIO_ADVISEUR, [agreement_status.region], email="adviseur@example.org")


@pytest.fixture
def regio(make_user, agreement_status):
    return make_user(Role.REGIO_GEBRUIKER, [agreement_status.region], email="regio@example.org")


def _change(agreement_status, user, status=Status.IN_VOORBEREIDING, at=None):
    agreement_status.refresh_from_db()
    status_update(
        agreement_status=agreement_status,
        expected_version=agreement_status.version,
        user=user,
        status=status,
        criteria_met=[],
        explanation=f"Stand {status}",
        evidence_links=[],
        changed_at=at,
    )
    agreement_status.refresh_from_db()
    return agreement_status


def _steps(agreement_status):
    return list(AfstemmingStep.objects.filter(agreement_status=agreement_status).order_by("at", "id").values_list("step", "status_version"))


# --- The scale and who may do what ---


def test_a_new_status_is_not_yet_asked_and_every_change_puts_it_to_the_region(agreement_status, adviseur):
    assert agreement_status.afstemming == Afstemming.NIET_GEVRAAGD
    _change(agreement_status, adviseur)
    assert (agreement_status.afstemming, agreement_status.afstemming_by) == (Afstemming.TER_AFSTEMMING, adviseur)
    assert _steps(agreement_status) == [("ter_afstemming", 2)]


def test_the_region_agrees_with_the_version_it_saw_and_who_and_when_is_kept(agreement_status, adviseur, regio):
    _change(agreement_status, adviseur)
    step = status_agree(agreement_status=agreement_status, expected_version=2, user=regio)
    agreement_status.refresh_from_db()
    assert (agreement_status.afstemming, agreement_status.afstemming_by, agreement_status.afstemming_at) == (
        Afstemming.AFGESTEMD,
        regio,
        step.at,
    )
    assert _steps(agreement_status) == [("ter_afstemming", 2), ("afgestemd", 2)]
    event = AuditEvent.objects.filter(details__model="agreements.AfstemmingStep").order_by("-id").first()
    assert (event.actor, event.details["step"], event.details["version"]) == (regio, "afgestemd", 2)


def test_disagreeing_needs_a_reason_and_a_change_asks_again(agreement_status, adviseur, regio):
    _change(agreement_status, adviseur)
    with pytest.raises(ApplicationError, match="Vul de reden in"):
        status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="   ")
    status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Wij zijn al verder.")
    agreement_status.refresh_from_db()
    assert agreement_status.afstemming == Afstemming.NIET_AKKOORD
    assert AfstemmingStep.objects.get(step=Afstemming.NIET_AKKOORD).reason == "Wij zijn al verder."
    _change(agreement_status, adviseur, Status.IN_UITVOERING)
    assert agreement_status.afstemming == Afstemming.TER_AFSTEMMING
    status_agree(agreement_status=agreement_status, expected_version=3, user=regio)
    assert _steps(agreement_status) == [("ter_afstemming", 2), ("niet_akkoord", 2), ("ter_afstemming", 3), ("afgestemd", 3)]


def test_agreeing_with_a_version_that_changed_since_is_refused(agreement_status, adviseur, regio):
    _change(agreement_status, adviseur)
    _change(agreement_status, adviseur, Status.IN_UITVOERING)
    with pytest.raises(ConflictError):
        status_agree(agreement_status=agreement_status, expected_version=2, user=regio)
    with pytest.raises(ConflictError):
        status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Oud")
    agreement_status.refresh_from_db()
    assert agreement_status.afstemming == Afstemming.TER_AFSTEMMING


def test_nothing_to_agree_before_a_change_and_no_second_disagreement(agreement_status, adviseur, regio):
    with pytest.raises(ApplicationError, match="niet ter afstemming"):
        status_agree(agreement_status=agreement_status, expected_version=1, user=regio)
    _change(agreement_status, adviseur)
    status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Nee")
    with pytest.raises(ApplicationError, match="al op niet akkoord"):
        status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Nog steeds nee")
    status_agree(agreement_status=agreement_status, expected_version=2, user=regio)  # the region may change its mind
    with pytest.raises(ApplicationError, match="niet ter afstemming"):
        status_agree(agreement_status=agreement_status, expected_version=2, user=regio)


@pytest.mark.parametrize("role", [Role.REGIO_ADVISEUR, Role.BEHEERDER, Role.VNG_MEDEWERKER, None])
def test_only_regio_gebruikers_of_the_region_agree_or_disagree(agreement_status, adviseur, make_user, role):
    _change(agreement_status, adviseur)
    others = [make_user(Role.REGIO_GEBRUIKER, [RegionFactory()])]  # a regio-gebruiker of another region
    others.append(make_user(role, [agreement_status.region]) if role else make_user(None))
    for user in others:
        with pytest.raises(PermissionDenied):
            status_agree(agreement_status=agreement_status, expected_version=2, user=user)
        with pytest.raises(PermissionDenied):
            status_disagree(agreement_status=agreement_status, expected_version=2, user=user, reason="Nee")
        with pytest.raises(PermissionDenied):
            region_statuses_agree(region=agreement_status.region, expected_versions={agreement_status.pk: 2}, user=user)
    assert _steps(agreement_status) == [("ter_afstemming", 2)]


def test_reason_and_comment_bounds(agreement_status, adviseur, regio):
    _change(agreement_status, adviseur)
    with pytest.raises(ApplicationError, match=f"{AFSTEMMING_REASON_MAX_LENGTH + 1} tekens lang; het maximum is 1000"):
        status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="x" * (AFSTEMMING_REASON_MAX_LENGTH + 1))
    with pytest.raises(ApplicationError, match="NUL"):
        status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="a\x00b")
    status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="x" * AFSTEMMING_REASON_MAX_LENGTH)
    with pytest.raises(ApplicationError, match=f"{COMMENT_MAX_LENGTH + 1} tekens lang"):
        status_comment_add(agreement_status=agreement_status, user=adviseur, text="y" * (COMMENT_MAX_LENGTH + 1))
    with pytest.raises(ApplicationError, match="Vul de reactie in"):
        status_comment_add(agreement_status=agreement_status, user=adviseur, text="\n ")
    status_comment_add(agreement_status=agreement_status, user=adviseur, text="y" * COMMENT_MAX_LENGTH)
    assert StatusComment.objects.count() == 1


def test_a_thread_holds_at_most_fifty_comments_newest_last(agreement_status, adviseur, regio):
    _change(agreement_status, adviseur)
    start = timezone.now()
    StatusComment.objects.bulk_create(
        StatusComment(
            agreement_status=agreement_status, status_version=2, text=f"Reactie {n}", created_at=start - timedelta(seconds=100 - n)
        )
        for n in range(MAX_COMMENTS_PER_STATUS - 1)
    )
    last = status_comment_add(agreement_status=agreement_status, user=regio, text="De vijftigste")
    with pytest.raises(ApplicationError, match="al 50 reacties"):
        status_comment_add(agreement_status=agreement_status, user=adviseur, text="Eén te veel")
    assert list(agreement_status.comments.all())[-1] == last


def test_comments_are_for_the_region_and_its_advisers(agreement_status, adviseur, regio, make_user):
    status_comment_add(agreement_status=agreement_status, user=adviseur, text="Graag uw reactie.")
    status_comment_add(agreement_status=agreement_status, user=regio, text="Klopt, dank u.")
    assert AuditEvent.objects.filter(details__model="agreements.StatusComment").count() == 2
    for user in (make_user(Role.VNG_MEDEWERKER), make_user(Role.REGIO_ADVISEUR, [RegionFactory()])):
        with pytest.raises(PermissionDenied):
            status_comment_add(agreement_status=agreement_status, user=user, text="Mag niet")
    assert StatusComment.objects.count() == 2


def test_agree_all_takes_every_waiting_status_at_the_versions_seen_or_none(make_user):
    region = RegionFactory()
    statuses = [AgreementStatusFactory(region=region, agreement=AgreementFactory(number=n)) for n in (1, 2, 3)]
    adviseur = make_user(Role.REGIO_ADVISEUR, [region])
    regio = make_user(Role.REGIO_GEBRUIKER, [region])
    for agreement_status in statuses:
        _change(agreement_status, adviseur)
    seen = {s.pk: s.version for s in statuses}
    _change(statuses[2], adviseur, Status.IN_UITVOERING)  # changed after the page was read
    with pytest.raises(ApplicationError, match="Afspraak 3 is gewijzigd"):
        region_statuses_agree(region=region, expected_versions=seen, user=regio)
    assert not AfstemmingStep.objects.filter(step=Afstemming.AFGESTEMD).exists()
    seen[statuses[2].pk] = 3
    assert region_statuses_agree(region=region, expected_versions=seen, user=regio) == 3
    assert set(AgreementStatus.objects.values_list("afstemming", flat=True)) == {Afstemming.AFGESTEMD}
    with pytest.raises(ApplicationError, match="Er wacht niets meer"):
        region_statuses_agree(region=region, expected_versions=seen, user=regio)


@pytest.mark.django_db(transaction=True)
def test_an_agreement_racing_a_change_never_agrees_with_the_unseen_version(agreement_status, adviseur, regio):
    """The status row is locked: either the agreement lands on version 2 and the change asks again, or the
    change lands first and the agreement is refused; never 'afgestemd' on version 3."""
    _change(agreement_status, adviseur)
    barrier, errors = threading.Barrier(2), []

    def run(work):
        try:
            barrier.wait()
            work()
        except (ConflictError, ApplicationError) as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: status_agree(agreement_status=agreement_status, expected_version=2, user=regio),)),
        threading.Thread(
            target=run, args=(lambda: _change(AgreementStatus.objects.get(pk=agreement_status.pk), adviseur, Status.IN_UITVOERING),)
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    agreement_status.refresh_from_db()
    assert (agreement_status.version, agreement_status.afstemming) == (3, Afstemming.TER_AFSTEMMING)
    assert len(errors) <= 1


# --- The database refuses bad states ---


def test_the_database_refuses_states_off_the_scale(agreement_status, adviseur):
    checks = [
        lambda: AgreementStatus.objects.filter(pk=agreement_status.pk).update(afstemming="misschien"),
        lambda: AgreementStatus.objects.filter(pk=agreement_status.pk).update(version=2),  # changed but never asked
        lambda: AgreementStatus.objects.filter(pk=agreement_status.pk).update(afstemming=Afstemming.AFGESTEMD),  # no moment
        lambda: AfstemmingStep.objects.create(agreement_status=agreement_status, status_version=1, step="niet_akkoord", at=timezone.now()),
        lambda: AfstemmingStep.objects.create(
            agreement_status=agreement_status, status_version=1, step="afgestemd", reason="geen reden nodig", at=timezone.now()
        ),
        lambda: AfstemmingStep.objects.create(agreement_status=agreement_status, status_version=1, step="niet_gevraagd", at=timezone.now()),
        lambda: StatusComment.objects.create(agreement_status=agreement_status, status_version=1, text="", created_at=timezone.now()),
        lambda: AfstemmingMail.objects.create(user=adviseur, kind="regio", day=timezone.localdate(), sent_at=timezone.now(), items=0),
    ]
    for check in checks:
        with pytest.raises(IntegrityError), transaction.atomic():
            check()


# --- The monthly snapshot freezes it ---


def test_a_past_month_shows_what_was_agreed_then(agreement_status, adviseur, regio, this_month):
    long_ago = timezone.now() - timedelta(days=70)
    _change(agreement_status, adviseur, at=long_ago)
    status_agree(agreement_status=agreement_status, expected_version=2, user=regio, at=long_ago + timedelta(days=1))
    _change(agreement_status, adviseur, Status.IN_UITVOERING)  # asked again this month
    status_disagree(agreement_status=agreement_status, expected_version=3, user=regio, reason="Nog niet")
    past = dashboard_rebuild(month=months_earlier(this_month, 1))
    now = dashboard_rebuild(month=this_month)
    assert past.cells.get().afstemming == Afstemming.AFGESTEMD and past.afgestemd_count == 1 and past.regions.get().afgestemd == 1
    assert now.cells.get().afstemming == Afstemming.NIET_AKKOORD and (now.afgestemd_count, now.niet_akkoord_count) == (0, 1)
    before_everything = dashboard_rebuild(month=months_earlier(this_month, 4))
    assert before_everything.cells.get().afstemming == Afstemming.NIET_GEVRAAGD


def test_the_monthly_digest_counts_open_disagreements(agreement_status, adviseur, regio, make_user, this_month):
    from dashboard.services import dashboard_digest_send

    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    _change(agreement_status, adviseur)
    status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Nee")
    dashboard_digest_send(snapshot=dashboard_rebuild(month=this_month))
    (message,) = mail.outbox
    assert "Niet akkoord van de regio (open): 1 status" in message.body
    assert "Niet akkoord van de regio (open): 1 status." in message.alternatives[0][0]


# --- E-mails without noise ---


def test_region_users_get_one_mail_a_day_listing_what_waits_only_when_something_is_new(agreement_status, adviseur, regio, make_user):
    muted = make_user(Role.REGIO_GEBRUIKER, [agreement_status.region], email="stil@example.org", afstemming_mail=False)
    make_user(Role.REGIO_GEBRUIKER, [agreement_status.region], email="")
    make_user(Role.REGIO_GEBRUIKER, [agreement_status.region], email="weg@example.org", is_active=False)
    make_user(Role.REGIO_GEBRUIKER, [RegionFactory()], email="ander@example.org")
    assert afstemming_mails_send().regio == 0  # nothing waits yet
    _change(agreement_status, adviseur)
    _change(agreement_status, adviseur, Status.IN_UITVOERING)  # two changes, still one status waiting
    morning = timezone.now()
    assert afstemming_mails_send(now=morning).regio == 1
    (message,) = mail.outbox
    assert message.to == [regio.email] and message.subject == "NvO Tracker: 1 status wacht op uw afstemming"
    assert f"- {agreement_status.region.name}, afspraak {agreement_status.agreement.number}" in message.body
    assert f"{settings.SITE_URL}/mijn-regios/" in message.body and "/mijn-gegevens/e-mail-over-afstemming/" in message.body
    _change(agreement_status, adviseur, Status.NIET_GESTART)  # new today
    assert afstemming_mails_send(now=morning + timedelta(hours=1)).regio == 0  # already mailed today
    assert afstemming_mails_send(now=morning + timedelta(days=1)).regio == 1  # tomorrow: something new
    assert afstemming_mails_send(now=morning + timedelta(days=2)).regio == 0  # nothing new since
    assert len(mail.outbox) == 2 and muted.email not in {to for m in mail.outbox for to in m.to}
    assert list(AfstemmingMail.objects.values_list("kind", "items")) == [("regio", 1), ("regio", 1)]


def test_advisers_get_one_mail_listing_new_disagreements(agreement_status, adviseur, regio, make_user):
    make_user(Role.REGIO_ADVISEUR, [RegionFactory()], email="ander@example.org")
    _change(agreement_status, adviseur)
    assert afstemming_mails_send().adviseur == 0  # ter afstemming is no news for the adviser
    status_disagree(agreement_status=agreement_status, expected_version=2, user=regio, reason="Wij zijn al verder.")
    mail.outbox.clear()
    morning = timezone.now()
    assert afstemming_mails_send(now=morning).adviseur == 1
    (message,) = [m for m in mail.outbox if m.to == [adviseur.email]]
    assert message.subject == "NvO Tracker: 1 nieuw niet-akkoord van uw regio's"
    assert "Wij zijn al verder." in message.body and "/afstemming/" in message.body
    assert afstemming_mails_send(now=morning + timedelta(days=1)).adviseur == 0  # not new any more


def test_a_failed_send_records_nothing_so_the_next_run_retries(agreement_status, adviseur, regio, settings):
    _change(agreement_status, adviseur)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens on port 9
    with pytest.raises(OSError):
        afstemming_mails_send()
    assert not AfstemmingMail.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert afstemming_mails_send().regio == 1


def test_the_daily_job_is_declared_in_the_beat_schedule_and_the_task_calls_the_service(agreement_status, adviseur, regio):
    from agreements.tasks import send_afstemming_mails

    entry = settings.CELERY_BEAT_SCHEDULE["afstemming-mails"]
    assert entry["task"] == "agreements.tasks.send_afstemming_mails"
    _change(agreement_status, adviseur)
    assert send_afstemming_mails() == {"regio": 1, "adviseur": 0}
    assert send_afstemming_mails() == {"regio": 0, "adviseur": 0}
