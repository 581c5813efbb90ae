"""Writes for agreements: the reference definitions and every change to a region's status."""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, can_confirm_region, can_discuss_status, can_edit_region
from agreements.models import (
    AFSTEMMING_REASON_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    Afstemming,
    AfstemmingMail,
    AfstemmingStep,
    Agreement,
    AgreementStatus,
    Criterion,
    Status,
    StatusChange,
    StatusComment,
)
from agreements.selectors import criteria_met_ids
from core.audit import audit_record
from core.errors import ApplicationError, ConflictError
from core.models import AuditEvent
from core.text import EVIDENCE_LINKS_MAX, validate_no_direction_overrides
from core.versioning import lock_and_compare
from regions.models import Region

if TYPE_CHECKING:
    from agreements.spreadsheets import PlannedChange

AGREEMENTS_FILE = Path(__file__).resolve().parent / "data" / "afspraken.toml"

_http_url = URLValidator(schemes=["http", "https"], message="Gebruik een volledige link die begint met http:// of https://.")


@dataclass(frozen=True)
class AgreementDefinition:
    number: int
    title: str
    text: str
    criteria: tuple[str, ...]


def agreement_definitions_from_file(path: Path = AGREEMENTS_FILE) -> list[AgreementDefinition]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [
        AgreementDefinition(number=item["nummer"], title=item["titel"], text=item["tekst"].strip(), criteria=tuple(item["criteria"]))
        for item in data["afspraak"]
    ]


@transaction.atomic
def agreements_load(*, definitions: list[AgreementDefinition]) -> int:
    """Create or update the agreements and their criteria; returns how many rows changed (0 = idempotent)."""
    changed = 0
    for definition in definitions:
        agreement, created = Agreement.objects.get_or_create(
            number=definition.number, defaults={"title": definition.title, "text": definition.text}
        )
        if not created and (agreement.title, agreement.text) != (definition.title, definition.text):
            agreement.title, agreement.text = definition.title, definition.text
            agreement.full_clean()
            agreement.save()
            changed += 1
        changed += created
        for order, text in enumerate(definition.criteria, start=1):
            criterion, created = Criterion.objects.get_or_create(agreement=agreement, order=order, defaults={"text": text})
            if not created and criterion.text != text:
                criterion.text = text
                criterion.save(update_fields=["text"])
                changed += 1
            changed += created
        deleted, _ = agreement.criteria.filter(order__gt=len(definition.criteria)).delete()
        changed += deleted
    if changed:
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            description="Afspraken en minimumcriteria bijgewerkt",
            action="geïmporteerd",
            details={"model": Agreement._meta.label, "changed": changed},
        )
    return changed


@transaction.atomic
def statuses_ensure_all() -> int:
    """Give every region a status row for every agreement (Onbekend); returns how many were created."""
    existing = set(AgreementStatus.objects.values_list("region_id", "agreement_id"))
    missing = [
        AgreementStatus(region_id=region_id, agreement_id=agreement_id)
        for region_id in Region.objects.values_list("id", flat=True)
        for agreement_id in Agreement.objects.values_list("id", flat=True)
        if (region_id, agreement_id) not in existing
    ]
    AgreementStatus.objects.bulk_create(missing)
    if missing:
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            description=f"{len(missing)} status(sen) aangemaakt (Onbekend)",
            action="aangemaakt",
            details={"model": AgreementStatus._meta.label, "created": len(missing)},
        )
    return len(missing)


EVIDENCE_LINK_MAX_LENGTH = 500
# A status's foreign keys, left out of its full_clean(): each would cost a query to confirm a row that exists.
_STATUS_KEYS = ["region", "agreement", "updated_by", "afstemming_by"]


def _clean_evidence_links(links: Iterable[str]) -> list[str]:
    cleaned, errors = [], []
    links = [link.strip() for link in links if link.strip()]
    if len(links) > EVIDENCE_LINKS_MAX:
        raise ValidationError({"evidence_links": f"Geef hoogstens {EVIDENCE_LINKS_MAX} links (het zijn er nu {len(links)})."})
    for link in links:
        if len(link) > EVIDENCE_LINK_MAX_LENGTH:
            errors.append(f"{link[:80]!r}… is langer dan {EVIDENCE_LINK_MAX_LENGTH} tekens.")
            continue
        try:
            _http_url(link)
        except ValidationError:
            errors.append(f"{link[:80]!r} is geen geldige link: gebruik een volledige link die begint met http:// of https://.")
            continue
        cleaned.append(link)
    if errors:
        raise ValidationError({"evidence_links": errors})
    return cleaned


@transaction.atomic
def status_update(
    *,
    agreement_status: AgreementStatus,
    expected_version: int,
    user,
    status: int,
    criteria_met: Iterable[Criterion],
    explanation: str,
    evidence_links: Iterable[str],
    explanation_public: bool | None = None,
    changed_at: datetime | None = None,
) -> StatusChange | None:
    """Save a new state for one region × agreement and record it in the history, in one transaction.

    `explanation_public`: whether the explanation may appear on the public dashboard; None keeps it as it is
    (the import, which carries no explanation).

    Refuses (ConflictError) when the row's version is no longer `expected_version`: someone else saved
    in between. Returns the StatusChange, or None when nothing differed from the current state.
    """
    if user is not None and not can_edit_region(user, agreement_status.region_id):
        raise PermissionDenied("U mag de statussen van deze regio niet wijzigen.")
    # The status row alone is locked (not its agreement: saves of one agreement in other regions go on), and it
    # comes with the ids of its criteria met. Region, agreement and the agreement's criteria are reference data
    # that no status save changes: taken as the caller loaded them.
    current = lock_and_compare(
        AgreementStatus.objects.annotate(criteria_met_ids=criteria_met_ids()),
        pk=agreement_status.pk,
        expected_version=expected_version,
        message="Iemand anders heeft deze status opgeslagen nadat u begon met bewerken.",
    )
    current.region, current.agreement = agreement_status.region, agreement_status.agreement

    evidence_links = list(evidence_links)
    if "\x00" in explanation or any("\x00" in link for link in evidence_links):
        raise ApplicationError("De tekst bevat een ongeldig teken (NUL). Verwijder het en sla opnieuw op.")
    try:
        status = Status(status)
    except ValueError:
        raise ValidationError({"status": "Kies een status van de schaal Onbekend tot Gerealiseerd."}) from None
    criteria = list(criteria_met)
    all_criteria = {c.pk: c for c in current.agreement.criteria.all()}
    errors = {}
    if any(c.pk not in all_criteria for c in criteria):
        errors["criteria_met"] = "Kies alleen minimumcriteria van deze afspraak."
    if status == Status.GEREALISEERD and {c.pk for c in criteria} != set(all_criteria):
        errors["status"] = (
            "Een afspraak is pas gerealiseerd als aan alle minimumcriteria is voldaan. Vink de criteria aan of kies een lagere status."
        )
    try:
        links = _clean_evidence_links(evidence_links)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    old_ids, new_ids = set(current.criteria_met_ids), {c.pk for c in criteria}
    old_criteria = sorted(all_criteria[pk].order for pk in old_ids)
    new_criteria = sorted(c.order for c in criteria)
    explanation = explanation.strip()
    explanation_public = current.explanation_public if explanation_public is None else bool(explanation_public)
    old = (current.status, old_criteria, current.explanation, current.explanation_public, current.evidence_links)
    if old == (status, new_criteria, explanation, explanation_public, links):
        return None

    changed_at = changed_at or timezone.now()
    change = StatusChange(
        agreement_status=current,
        version=current.version + 1,
        changed_at=changed_at,
        changed_by=user,
        old_status=current.status,
        new_status=status,
        old_criteria=old_criteria,
        new_criteria=new_criteria,
        old_explanation=current.explanation,
        new_explanation=explanation,
        old_explanation_public=current.explanation_public,
        new_explanation_public=explanation_public,
        old_evidence_links=current.evidence_links,
        new_evidence_links=links,
    )
    current.status, current.explanation, current.evidence_links = status, explanation, links
    current.explanation_public = explanation_public
    current.version += 1
    current.updated_at, current.updated_by = changed_at, user
    previous_afstemming = current.afstemming
    current.afstemming, current.afstemming_at, current.afstemming_by = Afstemming.TER_AFSTEMMING, changed_at, user
    # The foreign keys are the locked row's own and the signed-in user; the check constraints are the database's,
    # and every value they test was set or checked above: asking the database first would cost a query each.
    current.full_clean(exclude=_STATUS_KEYS, validate_unique=False, validate_constraints=False)
    current.save()
    if old_ids - new_ids:
        current.criteria_met.remove(*(old_ids - new_ids))
    if new_ids - old_ids:
        current.criteria_met.add(*(new_ids - old_ids))
    change.save()
    _afstemming_step_add(agreement_status=current, step=Afstemming.TER_AFSTEMMING, user=user, at=changed_at, previous=previous_afstemming)
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"Status: {change}",
        target=current,
        action="gewijzigd",
        old=_status_state(change, "old"),
        new=_status_state(change, "new"),
        details={"version": change.version, "change_id": change.pk},
    )
    return change


def _status_state(change: StatusChange, side: str) -> dict:
    """One side (old or new) of a StatusChange as the audit log records it."""
    return {
        "status": getattr(change, f"{side}_status"),
        "criteria": getattr(change, f"{side}_criteria"),
        "explanation": getattr(change, f"{side}_explanation"),
        "explanation_public": getattr(change, f"{side}_explanation_public"),
        "evidence_links": getattr(change, f"{side}_evidence_links"),
    }


@transaction.atomic
def status_import_apply(*, user, changes: Iterable["PlannedChange"]) -> int:
    """Apply the changes an import preview showed, all or nothing; returns how many statuses changed.

    Each change goes through `status_update` with the version seen at preview, so a status that someone
    changed since then refuses the whole import (nothing is written) instead of being overwritten.
    Criteria, explanation and links stay as they are: the spreadsheet carries only the status.
    """
    changes = list(changes)
    statuses = (
        AgreementStatus.objects.select_related("region", "agreement")
        .prefetch_related("criteria_met", "agreement__criteria")
        .in_bulk([c.status_id for c in changes])
    )
    applied = 0
    for change in changes:
        where = f"{change.region} – afspraak {change.agreement}"
        current = statuses.get(change.status_id)
        if current is None:
            raise ApplicationError(f"{where} bestaat niet meer. Er is niets opgeslagen.")
        try:
            result = status_update(
                agreement_status=current,
                expected_version=change.version,
                user=user,
                status=change.new,
                criteria_met=current.criteria_met.all(),
                explanation=current.explanation,
                evidence_links=current.evidence_links,
            )
        except ConflictError as error:
            raise ApplicationError(
                f"{where} is gewijzigd sinds de voorvertoning. Er is niets opgeslagen; upload het bestand opnieuw "
                "om de wijzigingen met de nieuwe stand te vergelijken."
            ) from error
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            raise ApplicationError(f"{where}: {reason} Er is niets opgeslagen.") from error
        applied += result is not None
    if applied:
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            user=user,
            description=f"Statusimport: {applied} status(sen) gewijzigd",
            action="geïmporteerd",
            details={"model": AgreementStatus._meta.label, "applied": applied},
        )
    return applied


# --- Afstemming: the region agrees or disagrees with what is recorded about it ---

# The thread of one status stays short: after this many comments a new one is refused.
MAX_COMMENTS_PER_STATUS = 50


def _clean_text(text: str, *, what: str, max_length: int) -> str:
    text = text.strip()
    if "\x00" in text:
        raise ApplicationError(f"{what} bevat een ongeldig teken (NUL). Verwijder het en probeer het opnieuw.")
    if not text:
        raise ApplicationError(f"Vul {what.lower()} in.")
    try:
        validate_no_direction_overrides(text)
    except ValidationError as error:
        raise ApplicationError(error.messages[0]) from None
    if len(text) > max_length:
        raise ApplicationError(f"{what} is {len(text)} tekens lang; het maximum is {max_length}. Maak de tekst korter.")
    return text


def _afstemming_step_add(
    *, agreement_status: AgreementStatus, step: Afstemming, user, at: datetime, reason: str = "", previous: str = ""
) -> AfstemmingStep:
    """Append one step beside the status history and in the audit log (same transaction as the caller)."""
    record = AfstemmingStep(
        agreement_status=agreement_status,
        status_version=agreement_status.version,
        step=step,
        reason=reason,
        at=at,
        by=user,
    )
    # The check constraints are the database's; the step is this module's choice and a reason is cleaned before.
    record.full_clean(exclude=["agreement_status", "by"], validate_constraints=False)
    record.save()
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"Afstemming {record.get_step_display().lower()}: {agreement_status}",
        target=record,
        action="aangemaakt",
        old={"afstemming": previous, "reason": ""},
        new={"afstemming": step.value, "reason": reason},
        details={"status_id": agreement_status.pk, "version": agreement_status.version, "step": step.value},
    )
    return record


def _locked_for_afstemming(*, agreement_status: AgreementStatus, expected_version: int, user) -> AgreementStatus:
    if not can_confirm_region(user, agreement_status.region_id):
        raise PermissionDenied("Alleen regio-gebruikers van deze regio stemmen de statussen van de regio af.")
    current = AgreementStatus.objects.select_for_update().select_related("region", "agreement").get(pk=agreement_status.pk)
    if current.version != expected_version:
        raise ConflictError(
            f"Afspraak {current.agreement.number} is gewijzigd nadat u de pagina opende. Bekijk de nieuwe stand en stem die af.",
            current=current,
        )
    return current


def _afstemming_set(*, current: AgreementStatus, step: Afstemming, user, at: datetime, reason: str = "") -> AfstemmingStep:
    previous = current.afstemming
    current.afstemming, current.afstemming_at, current.afstemming_by = step, at, user
    current.full_clean(exclude=["region", "agreement"], validate_unique=False)
    current.save(update_fields=["afstemming", "afstemming_at", "afstemming_by"])
    return _afstemming_step_add(agreement_status=current, step=step, user=user, at=at, reason=reason, previous=previous)


@transaction.atomic
def status_agree(*, agreement_status: AgreementStatus, expected_version: int, user, at: datetime | None = None) -> AfstemmingStep:
    """The region agrees with version `expected_version` of the status (afgestemd).

    ConflictError when the status changed since the user saw it: nobody agrees with a version they never saw.
    """
    current = _locked_for_afstemming(agreement_status=agreement_status, expected_version=expected_version, user=user)
    if current.afstemming not in (Afstemming.TER_AFSTEMMING, Afstemming.NIET_AKKOORD):
        raise ApplicationError(
            f"Afspraak {current.agreement.number} staat niet ter afstemming ({current.get_afstemming_display().lower()})."
        )
    return _afstemming_set(current=current, step=Afstemming.AFGESTEMD, user=user, at=at or timezone.now())


@transaction.atomic
def status_disagree(
    *, agreement_status: AgreementStatus, expected_version: int, user, reason: str, at: datetime | None = None
) -> AfstemmingStep:
    """The region does not agree with the status, and says why (required, at most 1,000 characters)."""
    current = _locked_for_afstemming(agreement_status=agreement_status, expected_version=expected_version, user=user)
    reason = _clean_text(reason, what="De reden", max_length=AFSTEMMING_REASON_MAX_LENGTH)
    if current.afstemming not in (Afstemming.TER_AFSTEMMING, Afstemming.AFGESTEMD):
        raise ApplicationError(
            f"Afspraak {current.agreement.number} staat al op niet akkoord. Voeg een reactie toe als u iets wilt aanvullen."
            if current.afstemming == Afstemming.NIET_AKKOORD
            else f"Afspraak {current.agreement.number} staat niet ter afstemming."
        )
    return _afstemming_set(current=current, step=Afstemming.NIET_AKKOORD, user=user, at=at or timezone.now(), reason=reason)


@transaction.atomic
def region_statuses_agree(*, region: Region, expected_versions: dict[int, int], user, at: datetime | None = None) -> int:
    """Agree with every status of `region` that is ter afstemming, each at the version the user saw
    (status id → version); all or nothing. Returns how many were agreed."""
    if not can_confirm_region(user, region.pk):
        raise PermissionDenied("Alleen regio-gebruikers van deze regio stemmen de statussen van de regio af.")
    waiting = list(
        AgreementStatus.objects.select_for_update()
        .filter(region=region, afstemming=Afstemming.TER_AFSTEMMING)
        .select_related("region", "agreement")
        .order_by("agreement__number")
    )
    if not waiting:
        raise ApplicationError("Er wacht niets meer op uw afstemming in deze regio.")
    unseen = [current for current in waiting if expected_versions.get(current.pk) != current.version]
    if unseen:
        numbers = ", ".join(str(current.agreement.number) for current in unseen)
        raise ApplicationError(
            f"Afspraak {numbers} is gewijzigd of ter afstemming gekomen nadat u de pagina opende. Er is niets afgestemd; "
            "bekijk de nieuwe stand en probeer het opnieuw."
        )
    at = at or timezone.now()
    for current in waiting:
        _afstemming_set(current=current, step=Afstemming.AFGESTEMD, user=user, at=at)
    return len(waiting)


@transaction.atomic
def status_comment_add(*, agreement_status: AgreementStatus, user, text: str, at: datetime | None = None) -> StatusComment:
    """Add a comment of the region or its adviser to the status's thread (at most 1,000 characters, 50 per status)."""
    if not can_discuss_status(user, agreement_status.region_id):
        raise PermissionDenied("Alleen de regio en haar regio-adviseurs reageren op deze status.")
    current = AgreementStatus.objects.select_for_update().select_related("region", "agreement").get(pk=agreement_status.pk)
    text = _clean_text(text, what="De reactie", max_length=COMMENT_MAX_LENGTH)
    if StatusComment.objects.filter(agreement_status=current).count() >= MAX_COMMENTS_PER_STATUS:
        raise ApplicationError(
            f"Deze status heeft al {MAX_COMMENTS_PER_STATUS} reacties, het maximum. Neem contact op buiten de app of wijzig de status."
        )
    comment = StatusComment(
        agreement_status=current, status_version=current.version, text=text, created_at=at or timezone.now(), author=user
    )
    comment.full_clean(exclude=["agreement_status", "author"])
    comment.save()
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"Reactie op {current}",
        target=comment,
        action="aangemaakt",
        new={"text": text},
        details={"status_id": current.pk, "version": current.version},
    )
    return comment


# --- Afstemming e-mails: at most one per user, kind and day ---


@dataclass(frozen=True)
class AfstemmingMailsSent:
    regio: int
    adviseur: int


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def _recipients(role: Role):
    return (
        User.objects.filter(is_active=True, afstemming_mail=True, groups__name=role)
        .exclude(email="")
        .prefetch_related("regions")
        .order_by("pk")
        .distinct()
    )


def _last_mails(kind: str) -> dict[int, datetime]:
    return dict(AfstemmingMail.objects.filter(kind=kind).values("user_id").annotate(last=Max("sent_at")).values_list("user_id", "last"))


def _send_once(*, user: User, kind: str, day, now: datetime, statuses: list, subject: str, template: str, context: dict) -> bool:
    """Record the mail, then send it, in one transaction: a second run on the same day finds the record (or
    collides on its unique constraint) and sends nothing; a failed send leaves no record, so the next run retries."""
    try:
        with transaction.atomic():
            AfstemmingMail.objects.create(user=user, kind=kind, day=day, sent_at=now, items=len(statuses))
            body = render_to_string(template, {"user": user, "statuses": statuses, **context})
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False
    return True


def afstemming_mails_send(*, now: datetime | None = None) -> AfstemmingMailsSent:
    """The daily afstemming e-mails (Celery beat; the task only calls this).

    A regio-gebruiker gets one e-mail listing every status of their regions that is ter afstemming, when
    something came ter afstemming since their previous one; a regio-adviseur one listing the disagreements in
    their regions since their previous one. Never more than one of each per day, never to someone who
    switched them off, and nothing when nothing is new. A fixed number of queries plus two per e-mail.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    site = settings.SITE_URL.rstrip("/")
    sent_today = set(AfstemmingMail.objects.filter(day=day).values_list("user_id", "kind"))

    regio_users = [user for user in _recipients(Role.REGIO_GEBRUIKER) if (user.pk, AfstemmingMail.Kind.REGIO) not in sent_today]
    region_ids = {region.pk for user in regio_users for region in user.regions.all()}
    waiting = list(
        AgreementStatus.objects.filter(region_id__in=region_ids, afstemming=Afstemming.TER_AFSTEMMING)
        .select_related("region", "agreement")
        .order_by("region__name", "agreement__number")
    )
    last = _last_mails(AfstemmingMail.Kind.REGIO)
    regio = 0
    for user in regio_users:
        own = {region.pk for region in user.regions.all()}
        statuses = [status for status in waiting if status.region_id in own]
        since = last.get(user.pk)
        if not statuses or (since is not None and all(status.afstemming_at <= since for status in statuses)):
            continue
        regio += _send_once(
            user=user,
            kind=AfstemmingMail.Kind.REGIO,
            day=day,
            now=now,
            statuses=statuses,
            subject=f"NvO Tracker: {_count(len(statuses), 'status wacht', 'statussen wachten')} op uw afstemming",
            template="agreements/email/afstemming_regio.txt",
            context={"url": site + reverse("pages:my_regions"), "settings_url": site + reverse("pages:mail_settings")},
        )

    advisers = [user for user in _recipients(Role.REGIO_ADVISEUR) if (user.pk, AfstemmingMail.Kind.ADVISEUR) not in sent_today]
    region_ids = {region.pk for user in advisers for region in user.regions.all()}
    last = _last_mails(AfstemmingMail.Kind.ADVISEUR)
    # The disagreement each status stands on now (its newest step); earlier ones were answered.
    disagreements = list(
        AfstemmingStep.objects.filter(
            agreement_status__region_id__in=region_ids,
            step=Afstemming.NIET_AKKOORD,
            agreement_status__afstemming=Afstemming.NIET_AKKOORD,
            at=F("agreement_status__afstemming_at"),
        )
        .select_related("agreement_status__region", "agreement_status__agreement", "by")
        .order_by("at", "id")
    )
    adviseur = 0
    for user in advisers:
        own = {region.pk for region in user.regions.all()}
        since = last.get(user.pk)
        steps = [step for step in disagreements if step.agreement_status.region_id in own and (since is None or step.at > since)]
        if not steps:
            continue
        adviseur += _send_once(
            user=user,
            kind=AfstemmingMail.Kind.ADVISEUR,
            day=day,
            now=now,
            statuses=steps,
            subject=f"NvO Tracker: {_count(len(steps), 'nieuw niet-akkoord', 'nieuwe niet-akkoorden')} van uw regio's",
            template="agreements/email/afstemming_adviseur.txt",
            context={"url": site + reverse("agreements:afstemming_overview"), "settings_url": site + reverse("pages:mail_settings")},
        )
    return AfstemmingMailsSent(regio=regio, adviseur=adviseur)
