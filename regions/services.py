"""Writes for regions: the municipal division, the regions' contacts and regiovisie adoptions."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify

from accounts.roles import can_edit_region, is_beheerder
from core.audit import audit_record
from core.errors import ApplicationError
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

DIVISION_FILE = Path(__file__).resolve().parent / "data" / "regio_indeling.csv"
DIVISION_COLUMNS = ("regiocode", "regio", "centrumgemeente", "gemeente", "gemeentecode")


@dataclass(frozen=True)
class DivisionRow:
    region_code: str
    region_name: str
    centrumgemeente: str
    municipality: str
    cbs_code: str


@dataclass
class DivisionReport:
    """What applying a division changed, in Dutch lines for the command's output."""

    regions_created: list[str] = field(default_factory=list)
    regions_renamed: list[str] = field(default_factory=list)
    municipalities_created: list[str] = field(default_factory=list)
    municipalities_renamed: list[str] = field(default_factory=list)
    municipalities_moved: list[str] = field(default_factory=list)
    municipalities_removed: list[str] = field(default_factory=list)
    centrumgemeenten_changed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    def lines(self) -> list[str]:
        headings = {
            "regions_created": "Nieuwe regio's",
            "regions_renamed": "Hernoemde regio's",
            "municipalities_created": "Nieuwe gemeenten",
            "municipalities_renamed": "Hernoemde gemeenten",
            "municipalities_moved": "Verhuisde gemeenten",
            "municipalities_removed": "Verwijderde gemeenten",
            "centrumgemeenten_changed": "Gewijzigde centrumgemeenten",
        }
        out = []
        for name, heading in headings.items():
            items = getattr(self, name)
            if items:
                out.append(f"{heading} ({len(items)}):")
                out.extend(f"  - {item}" for item in items)
        return out or ["Geen wijzigingen: de indeling was al zo."]


def division_rows_from_csv(text: str) -> list[DivisionRow]:
    """Parse a division CSV (lines starting with '#' are comments); raise ApplicationError on a bad layout."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    try:
        header = tuple((name or "").strip().lower() for name in (reader.fieldnames or ()))
    except csv.Error as error:
        raise ApplicationError(f"Het bestand is geen geldig CSV-bestand: {error}.") from error
    missing = [column for column in DIVISION_COLUMNS if column not in header]
    if missing:
        raise ApplicationError(f"Het bestand mist de kolom(men) {', '.join(missing)}. Verwacht: {', '.join(DIVISION_COLUMNS)}.")
    try:
        records = list(reader)
    except csv.Error as error:
        raise ApplicationError(f"Het bestand is geen geldig CSV-bestand: {error}.") from error
    rows = []
    for line_number, record in enumerate(records, start=2):
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in record.items()}
        if not any(values.get(column) for column in DIVISION_COLUMNS):
            continue
        empty = [column for column in DIVISION_COLUMNS if not values.get(column)]
        if empty:
            raise ApplicationError(f"Regel {line_number}: lege kolom(men) {', '.join(empty)}.")
        rows.append(
            DivisionRow(
                region_code=values["regiocode"],
                region_name=values["regio"],
                centrumgemeente=values["centrumgemeente"],
                municipality=values["gemeente"],
                cbs_code=values["gemeentecode"].upper(),
            )
        )
    return rows


def _division_check(rows: list[DivisionRow]) -> None:
    """Refuse a division that breaks an invariant, naming every problem at once."""
    problems = []
    if not rows:
        problems.append("Het bestand bevat geen gemeenten.")
    seen_codes: dict[str, DivisionRow] = {}
    seen_names: dict[str, DivisionRow] = {}
    region_names: dict[str, str] = {}
    centrum: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    limits = {
        "region_code": Region._meta.get_field("code").max_length,
        "region_name": Region._meta.get_field("name").max_length,
        "centrumgemeente": Municipality._meta.get_field("name").max_length,
        "municipality": Municipality._meta.get_field("name").max_length,
    }
    for row in rows:
        for name, limit in limits.items():
            value = getattr(row, name)
            if "\x00" in value:
                problems.append(f"{row.municipality[:100]!r}: de tekst bevat een ongeldig teken (NUL).")
            if len(value) > limit:
                problems.append(f"{value[:40]!r}…: langer dan {limit} tekens.")
        if not Municipality._meta.get_field("cbs_code").validators[0].regex.match(row.cbs_code):
            problems.append(f"{row.municipality}: gemeentecode {row.cbs_code!r} heeft niet de vorm GM0000.")
        if row.cbs_code in seen_codes:
            problems.append(f"Gemeentecode {row.cbs_code} staat meer dan eens in het bestand.")
        if row.municipality.lower() in seen_names:
            problems.append(f"Gemeente {row.municipality} staat meer dan eens in het bestand.")
        seen_codes[row.cbs_code] = row
        seen_names[row.municipality.lower()] = row
        if region_names.setdefault(row.region_code, row.region_name) != row.region_name:
            problems.append(f"Regiocode {row.region_code} heeft twee namen: {region_names[row.region_code]!r} en {row.region_name!r}.")
        if centrum.setdefault(row.region_code, row.centrumgemeente) != row.centrumgemeente:
            problems.append(f"Regio {row.region_name} heeft meer dan één centrumgemeente.")
        members.setdefault(row.region_code, set()).add(row.municipality)
    if len(set(region_names.values())) != len(region_names):
        problems.append("Twee regiocodes hebben dezelfde regionaam.")
    for code, centrumgemeente in centrum.items():
        if centrumgemeente not in members[code]:
            problems.append(f"Regio {region_names[code]}: centrumgemeente {centrumgemeente} is geen gemeente van deze regio.")
    if problems:
        raise ApplicationError("De indeling is niet geldig:\n" + "\n".join(problems))


@transaction.atomic
def division_apply(*, rows: list[DivisionRow], user=None) -> DivisionReport:
    """Make the regions and municipalities match `rows` (keyed by regiocode and CBS code); idempotent.

    Municipalities absent from `rows` are removed (they merged away); a region
    absent from `rows` is refused, because its status history must not disappear silently.
    """
    _division_check(rows)
    report = DivisionReport()
    regions = {region.code: region for region in Region.objects.select_for_update()}
    missing_regions = sorted(set(regions) - {row.region_code for row in rows})
    if missing_regions:
        names = ", ".join(regions[code].name for code in missing_regions)
        raise ApplicationError(
            f"Regio('s) {names} ontbreken in het bestand. Regio's worden niet automatisch verwijderd; "
            "doe dat via het beheer als het echt de bedoeling is."
        )

    for row in {row.region_code: row for row in rows}.values():
        region = regions.get(row.region_code)
        if region is None:
            region = Region.objects.create(code=row.region_code, name=row.region_name, slug=slugify(row.region_name))
            regions[row.region_code] = region
            report.regions_created.append(f"{row.region_name} ({row.region_code})")
        elif region.name != row.region_name:
            report.regions_renamed.append(f"{region.name} → {row.region_name}")
            region.name, region.slug = row.region_name, slugify(row.region_name)
            region.save(update_fields=["name", "slug"])

    existing = {m.cbs_code: m for m in Municipality.objects.select_related("region").select_for_update()}
    old_centrum = {m.region_id: m.name for m in existing.values() if m.is_centrumgemeente}
    # Clear the flags first so that moving the centrumgemeente never trips the one-per-region constraint.
    Municipality.objects.filter(is_centrumgemeente=True).update(is_centrumgemeente=False)
    wanted_codes = {row.cbs_code for row in rows}
    for code, municipality in sorted(existing.items()):
        if code not in wanted_codes:
            report.municipalities_removed.append(f"{municipality.name} ({code}, was {municipality.region})")
            municipality.delete()

    for row in rows:
        region = regions[row.region_code]
        municipality = existing.get(row.cbs_code)
        is_centrum = row.municipality == row.centrumgemeente
        if municipality is None:
            Municipality.objects.create(name=row.municipality, cbs_code=row.cbs_code, region=region, is_centrumgemeente=is_centrum)
            report.municipalities_created.append(f"{row.municipality} ({row.cbs_code}) in {region.name}")
            continue
        if municipality.name != row.municipality:
            report.municipalities_renamed.append(f"{municipality.name} → {row.municipality} ({row.cbs_code})")
        if municipality.region_id != region.id:
            report.municipalities_moved.append(f"{row.municipality}: {municipality.region.name} → {region.name}")
        municipality.name, municipality.region, municipality.is_centrumgemeente = row.municipality, region, is_centrum
        municipality.save(update_fields=["name", "region", "is_centrumgemeente"])

    for region in regions.values():
        new = next(row.centrumgemeente for row in rows if row.region_code == region.code)
        old = old_centrum.get(region.id)
        if old is not None and old != new:
            report.centrumgemeenten_changed.append(f"{region.name}: {old} → {new}")
    if report.changed:
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            user=user,
            description="Gemeentelijke indeling bijgewerkt",
            details={name: len(getattr(report, name)) for name in report.__dataclass_fields__},
        )
    return report


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
