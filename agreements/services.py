"""Writes for agreements: the reference definitions and every change to a region's status."""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.roles import can_edit_region
from agreements.models import Agreement, AgreementStatus, Criterion, Status, StatusChange
from core.audit import audit_record
from core.errors import ApplicationError, ConflictError
from core.models import AuditEvent
from core.text import EVIDENCE_LINKS_MAX
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
    current = lock_and_compare(
        AgreementStatus.objects.select_related("agreement"),
        pk=agreement_status.pk,
        expected_version=expected_version,
        message="Iemand anders heeft deze status opgeslagen nadat u begon met bewerken.",
    )

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

    old_criteria = sorted(all_criteria[pk].order for pk in current.criteria_met.values_list("pk", flat=True))
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
    current.full_clean(exclude=["region", "agreement"], validate_unique=False)
    current.save()
    current.criteria_met.set(criteria)
    change.save()
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
    statuses = AgreementStatus.objects.prefetch_related("criteria_met").in_bulk([c.status_id for c in changes])
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
