"""Writes for regions: the regions' contacts and regiovisie adoptions (the division: `regions.division`)."""

from datetime import date

from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.roles import can_edit_region, is_beheerder
from core.audit import audit_record
from core.models import AuditEvent
from core.versioning import lock_and_compare
from regions.models import (
    ContactChange,
    ContactPerson,
    Municipality,
    Region,
    RegiovisieAdoption,
    RegiovisieAdoptionChange,
)

CONTACT_FIELDS = ("name", "function", "organisation", "email", "phone")


def _contact_state(contact: ContactPerson | None) -> dict | None:
    return None if contact is None else {name: getattr(contact, name) for name in CONTACT_FIELDS}


def _contact_slot_lock(*, region: Region, kind: str, position: str, expected_version: int, user) -> ContactPerson | None:
    """The slot's contact (None when empty) after the permission check, the lock and the version check."""
    if not can_edit_region(user, region.pk):
        raise PermissionDenied("U mag de contactpersonen van deze regio niet wijzigen.")
    # Locking the region serialises every contact save of the region, including filling an empty slot.
    return lock_and_compare(
        ContactPerson.objects.select_related("updated_by"),
        lock=region,
        region=region,
        kind=kind,
        position=position,
        expected_version=expected_version,
        message="Iemand anders heeft dit aanspreekpunt opgeslagen nadat u begon met bewerken.",
    )


def _contact_change_record(*, region, kind, position, user, old, new, target_pk, action):
    """The slot's history row and its audit event; the audit names the changed fields, never their values."""
    change = ContactChange.objects.create(region=region, kind=kind, position=position, changed_by=user, old=old, new=new)
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"Aanspreekpunt gewijzigd: {region} ({kind}, {position})",
        action=action,
        old=old,
        new=new,
        personal=True,
        details={"model": ContactPerson._meta.label, "id": target_pk, "region": region.pk, "kind": kind, "position": position},
    )
    return change


@transaction.atomic
def contact_save(
    *,
    region: Region,
    kind: str,
    position: str,
    expected_version: int,
    user,
    name: str,
    function: str = "",
    organisation: str = "",
    email: str = "",
    phone: str = "",
) -> ContactChange | None:
    """Fill or change one contact slot of a region and record the change (history and audit).

    `expected_version` is the slot's version the user started from (0 for an empty slot); a different current
    version raises ConflictError. Returns the ContactChange, or None when nothing differed.
    To empty a slot use `contact_remove`.
    """
    current = _contact_slot_lock(region=region, kind=kind, position=position, expected_version=expected_version, user=user)
    new = {"name": name, "function": function, "organisation": organisation, "email": email, "phone": phone}
    new = {key: value.strip() for key, value in new.items()}
    if not new["name"]:
        raise ValidationError({"name": "Vul een naam in, of maak alle velden leeg om het aanspreekpunt te verwijderen."})
    old = _contact_state(current)
    if old == new:
        return None
    if current is None:
        # A new contact continues the slot's version count, so a form based on a removed contact conflicts.
        previous = ContactChange.objects.filter(region=region, kind=kind, position=position).count()
        current = ContactPerson(region=region, kind=kind, position=position, version=previous)
    for key, value in new.items():
        setattr(current, key, value)
    current.version += 1
    current.updated_by = user
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.save()
    action = "aangemaakt" if old is None else "gewijzigd"
    return _contact_change_record(
        region=region, kind=kind, position=position, user=user, old=old, new=new, target_pk=current.pk, action=action
    )


@transaction.atomic
def contact_remove(*, region: Region, kind: str, position: str, expected_version: int, user) -> ContactChange | None:
    """Empty one contact slot of a region and record it; None when the slot was already empty."""
    current = _contact_slot_lock(region=region, kind=kind, position=position, expected_version=expected_version, user=user)
    if current is None:
        return None
    old, pk = _contact_state(current), current.pk
    current.delete()
    return _contact_change_record(
        region=region, kind=kind, position=position, user=user, old=old, new=None, target_pk=pk, action="verwijderd"
    )


_http_url = URLValidator(schemes=["http", "https"])


def _adoption_state(adoption: RegiovisieAdoption | None) -> dict | None:
    if adoption is None:
        return None
    return {"decision_date": adoption.decision_date.isoformat(), "decision_url": adoption.decision_url}


@transaction.atomic
def adoption_save(
    *,
    municipality: Municipality,
    expected_version: int,
    user,
    decision_date: date | None,
    decision_url: str = "",
) -> RegiovisieAdoptionChange | None:
    """Record (or, without a date, remove) a council's adoption of the regiovisie, with its history.

    Refuses a date in the future and a link that is not http(s); a stale `expected_version` raises ConflictError.
    """
    if not can_edit_region(user, municipality.region_id):
        raise PermissionDenied("U mag de vaststellingen van deze regio niet wijzigen.")
    current = lock_and_compare(
        RegiovisieAdoption.objects.select_related("updated_by"),
        lock=municipality,
        municipality=municipality,
        expected_version=expected_version,
        message="Iemand anders heeft deze vaststelling opgeslagen nadat u begon met bewerken.",
    )

    decision_url = decision_url.strip()
    errors = {}
    if decision_date is None and decision_url:
        errors["decision_date"] = "Vul de datum van het raadsbesluit in, of maak de link leeg."
    if decision_date is not None and decision_date > timezone.localdate():
        errors["decision_date"] = "De datum van het raadsbesluit mag niet in de toekomst liggen."
    if decision_url:
        try:
            _http_url(decision_url)
        except ValidationError:
            errors["decision_url"] = "Gebruik een volledige link die begint met http:// of https://."
    if errors:
        raise ValidationError(errors)

    old = _adoption_state(current)
    if decision_date is None:
        new = None
    else:
        new = {"decision_date": decision_date.isoformat(), "decision_url": decision_url}
    if old == new:
        return None
    if current is None:
        # A new adoption continues after the municipality's last recorded change (its history is unique per
        # version), so a form based on a removed adoption conflicts.
        version = municipality.adoption_changes.aggregate(last=Max("version"))["last"] or 0
    else:
        version = current.version
    if new is None:
        action, pk = "verwijderd", current.pk
        current.delete()
    else:
        action = "aangemaakt" if current is None else "gewijzigd"
        current = current or RegiovisieAdoption(municipality=municipality)
        current.decision_date, current.decision_url, current.updated_by = decision_date, decision_url, user
        current.version = version + 1
        current.full_clean(validate_unique=False)
        current.save()
        pk = current.pk
    change = RegiovisieAdoptionChange.objects.create(municipality=municipality, version=version + 1, changed_by=user, old=old, new=new)
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"Vaststelling regiovisie {action}: {municipality} ({municipality.region})",
        action=action,
        old=old,
        new=new,
        details={"model": RegiovisieAdoption._meta.label, "id": pk, "municipality": municipality.pk, "version": version + 1},
    )
    return change


# --- Privacy (AVG): erasing a person who leaves ---

ERASED_NAME = "verwijderd persoon"


def _erase_traces(value, traces: dict[str, str]):
    """`value` (JSON) with every occurrence of the person's name, e-mail or phone replaced."""
    if isinstance(value, dict):
        return {key: _erase_traces(item, traces) for key, item in value.items()}
    if isinstance(value, list):
        return [_erase_traces(item, traces) for item in value]
    if isinstance(value, str):
        for trace, replacement in traces.items():
            value = value.replace(trace, replacement)
    return value


@transaction.atomic
def contact_person_erase(*, contact, by):
    """Erase a contact person's personal data (AVG): the contact row goes, and the region's contact history,
    the admin log and the audit trail keep that changes happened with the person named "verwijderd persoon".

    Returns the ContactChange recording the erasure (which holds no personal data itself).
    """
    if not is_beheerder(by):
        raise PermissionDenied("Alleen een beheerder mag persoonsgegevens verwijderen.")
    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    # Longest first, so that an e-mail address containing the name is replaced as a whole.
    traces = {contact.name: ERASED_NAME, contact.email: "", contact.phone: ""}
    traces = {trace: traces[trace] for trace in sorted(filter(None, traces), key=len, reverse=True)}

    for change in ContactChange.objects.select_for_update().filter(region_id=contact.region_id):
        old, new = _erase_traces(change.old, traces), _erase_traces(change.new, traces)
        if (old, new) != (change.old, change.new):
            change.old, change.new = old, new
            change.save(update_fields=["old", "new"])
    for model, fields in ((LogEntry, ("object_repr", "change_message")), (AuditEvent, ("object_description", "details"))):
        as_text = {f"{field}_text": Cast(field, TextField()) for field in fields}
        mentions = Q(*(Q(**{f"{name}__contains": trace}) for name in as_text for trace in traces), _connector=Q.OR)
        for row in model.objects.annotate(**as_text).filter(mentions).select_for_update():
            values = {field: _erase_traces(getattr(row, field), traces) for field in fields}
            if any(values[field] != getattr(row, field) for field in fields):
                model.objects.filter(pk=row.pk).update(**values)

    region, kind, position, pk = contact.region, contact.kind, contact.position, contact.pk
    fields = [name for name in CONTACT_FIELDS if getattr(contact, name)]
    contact.delete()
    change = ContactChange.objects.create(
        region=region,
        kind=kind,
        position=position,
        changed_by=by,
        old={"name": ERASED_NAME, "erased": True},
        new=None,
    )
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=by,
        description=f"Persoonsgegevens verwijderd (AVG): {region} ({kind}, {position})",
        action="gewist",
        details={
            "model": ContactPerson._meta.label,
            "id": pk,
            "region": region.pk,
            "kind": kind,
            "position": position,
            "fields": fields,
            "erased": True,
        },
    )
    return change
