"""The regional division as dated data: which municipality belongs to which region, and who leads it, when.

Two ways in, one way to write:
- `division_load_reference` makes the database's division history equal to the shipped file
  `regions/data/regio_indeling.csv` (rows with `vanaf`/`tot`), so a correction of that file corrects the past;
- `division_import` takes a division without dates (e.g. an official table) and an effective date: from that
  day the new division holds, the memberships before it are kept.
Both build the wanted history in memory, check it whole (every problem named with its line, in Dutch) and then
write only the difference (`_history_write`). `division_preview` shows what an import would change per region.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from accounts.roles import is_beheerder
from core.audit import audit_record
from core.errors import ApplicationError
from core.models import AuditEvent
from core.text import DIRECTION_OVERRIDES
from regions.models import CentrumgemeenteTerm, Membership, Municipality, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISION_FILE = DATA_DIR / "regio_indeling.csv"
CBS_MUNICIPALITIES_FILE = DATA_DIR / "cbs_gemeenten.csv"
DIVISION_COLUMNS = ("regiocode", "regio", "centrumgemeente", "gemeente", "gemeentecode")
PERIOD_COLUMNS = ("vanaf", "tot")
SOURCE_COLUMNS = ("bron", "bron_datum", "zekerheid")
MAX_DIVISION_ROWS = 1000  # 342 municipalities today; a history file holds a few rows more
MAX_DIVISION_BYTES = 1_000_000

FIRMNESS = {choice.value for choice in Region.Firmness}


@dataclass(frozen=True)
class DivisionRow:
    line: int
    region_code: str
    region_name: str
    centrumgemeente: str
    municipality: str
    cbs_code: str
    valid_from: date | None = None
    valid_until: date | None = None
    source: str = ""
    source_date: date | None = None
    firmness: str = ""


@dataclass(frozen=True)
class RegionInfo:
    name: str
    source: str = ""
    source_date: date | None = None
    firmness: str = Region.Firmness.BESTE_KENNIS


# (key, valid_from, valid_until): a membership keyed by region code, a centrumgemeente term by CBS code.
Span = tuple[str, date, date | None]


@dataclass
class History:
    """A whole division history: regions, municipality names, memberships per CBS code, terms per region code."""

    regions: dict[str, RegionInfo] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    memberships: dict[str, list[Span]] = field(default_factory=dict)
    centrum: dict[str, list[Span]] = field(default_factory=dict)

    def on(self, day: date) -> tuple[dict[str, str], dict[str, str]]:
        """The division valid on `day`: CBS code → region code, and region code → CBS code of its centrumgemeente."""
        return _valid_on(self.memberships, day), _valid_on(self.centrum, day)

    def last_change(self) -> date | None:
        days = [
            day
            for spans in (*self.memberships.values(), *self.centrum.values())
            for _, start, end in spans
            for day in (start, end)
            if day is not None
        ]
        return max(days, default=None)


def _valid_on(spans_by_key: dict[str, list[Span]], day: date) -> dict[str, str]:
    return {key: value for key, spans in spans_by_key.items() for value, start, end in spans if start <= day and (end is None or day < end)}


# --- Reading files ---------------------------------------------------------------------------------------------


@cache
def cbs_municipalities() -> dict[str, str]:
    """CBS code → official name of every municipality CBS knows (regions/data/cbs_gemeenten.csv)."""
    with CBS_MUNICIPALITIES_FILE.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {row["gemeentecode"]: row["gemeente"] for row in rows}


def _parse_date(value: str, line: int, column: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"Regel {line}: {column} {value[:20]!r} is geen datum (JJJJ-MM-DD).")
        return None


def division_rows_from_csv(text: str, *, dated: bool = False) -> list[DivisionRow]:
    """Parse a division CSV (lines starting with '#' are comments). `dated`: the rows carry `vanaf` (and `tot`),
    as the shipped history file does. Raises ApplicationError naming every bad line."""
    if len(text.encode("utf-8")) > MAX_DIVISION_BYTES:
        raise ApplicationError(f"Het bestand is groter dan {MAX_DIVISION_BYTES // 1_000_000} MB.")
    numbered = [
        (number, line) for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1) if not line.lstrip().startswith("#")
    ]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in numbered)))
    try:
        header = tuple((name or "").strip().lower() for name in (reader.fieldnames or ()))
        records = list(reader)
    except csv.Error as error:
        raise ApplicationError(f"Het bestand is geen geldig CSV-bestand: {error}.") from error
    required = DIVISION_COLUMNS + (PERIOD_COLUMNS[:1] if dated else ())
    missing = [column for column in required if column not in header]
    if missing:
        raise ApplicationError(f"Het bestand mist de kolom(men) {', '.join(missing)}. Verwacht: {', '.join(required)}.")
    if len(records) > MAX_DIVISION_ROWS:
        raise ApplicationError(f"Het bestand heeft {len(records)} regels; de grens is {MAX_DIVISION_ROWS}.")
    rows, problems = [], []
    for index, record in enumerate(records, start=1):
        line = numbered[index][0] if index < len(numbered) else index + 1
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in record.items() if key}
        if not any(values.get(column) for column in DIVISION_COLUMNS):
            continue
        empty = [column for column in DIVISION_COLUMNS if not values.get(column) and column != "centrumgemeente"]
        if empty:
            problems.append(f"Regel {line}: lege kolom(men) {', '.join(empty)}.")
            continue
        rows.append(
            DivisionRow(
                line=line,
                region_code=values["regiocode"],
                region_name=values["regio"],
                centrumgemeente=values.get("centrumgemeente", ""),
                municipality=values["gemeente"],
                cbs_code=values["gemeentecode"].upper(),
                valid_from=_parse_date(values.get("vanaf", ""), line, "vanaf", problems) if dated else None,
                valid_until=_parse_date(values.get("tot", ""), line, "tot", problems) if dated else None,
                source=values.get("bron", ""),
                source_date=_parse_date(values.get("bron_datum", ""), line, "bron_datum", problems),
                firmness=values.get("zekerheid", "").lower(),
            )
        )
    if problems:
        raise ApplicationError("De indeling is niet geldig:\n" + "\n".join(problems))
    return rows


# --- Checking and building a history -------------------------------------------------------------------------


def _row_checks(rows: list[DivisionRow], problems: list[str]) -> None:
    """What each row must satisfy on its own, and what rows of one region or municipality must agree on."""
    limits = {
        "region_code": Region._meta.get_field("code").max_length,
        "region_name": Region._meta.get_field("name").max_length,
        "centrumgemeente": Municipality._meta.get_field("name").max_length,
        "municipality": Municipality._meta.get_field("name").max_length,
        "source": Region._meta.get_field("source").max_length,
    }
    known = cbs_municipalities()
    region_rows: dict[str, DivisionRow] = {}
    name_rows: dict[str, DivisionRow] = {}
    code_rows: dict[str, DivisionRow] = {}
    today = timezone.localdate()
    for row in rows:
        for name, limit in limits.items():
            value = getattr(row, name)
            if "\x00" in value:
                problems.append(f"Regel {row.line}: de tekst bevat een ongeldig teken (NUL).")
            if DIRECTION_OVERRIDES.search(value):
                problems.append(f"Regel {row.line}: de tekst bevat onzichtbare tekens die de leesrichting omdraaien.")
            if len(value) > limit:
                problems.append(f"Regel {row.line}: {value[:40]!r}… is langer dan {limit} tekens.")
        if row.cbs_code not in known:
            problems.append(
                f"Regel {row.line}: gemeentecode {row.cbs_code[:10]!r} ({row.municipality[:40]}) is geen bekende CBS-gemeentecode."
            )
        if not row.centrumgemeente:
            problems.append(f"Regel {row.line}: regio {row.region_name[:100]} heeft geen centrumgemeente.")
        if row.firmness and row.firmness not in FIRMNESS:
            problems.append(f"Regel {row.line}: zekerheid {row.firmness[:30]!r} is onbekend; kies " + ", ".join(sorted(FIRMNESS)) + ".")
        for day, column in ((row.valid_from, "vanaf"), (row.valid_until, "tot")):
            if day is not None and day > today:
                problems.append(f"Regel {row.line}: {column} {day:%d-%m-%Y} ligt in de toekomst.")
        if row.valid_from and row.valid_until and row.valid_until <= row.valid_from:
            problems.append(f"Regel {row.line}: tot ({row.valid_until:%d-%m-%Y}) ligt niet na vanaf.")
        first = region_rows.setdefault(row.region_code, row)
        if first.region_name != row.region_name:
            problems.append(
                f"Regel {row.line}: regiocode {row.region_code} heet op regel {first.line} {first.region_name!r}, hier {row.region_name!r}."
            )
        if (first.source, first.source_date, first.firmness) != (row.source, row.source_date, row.firmness):
            problems.append(f"Regel {row.line}: de bron van regio {row.region_name} verschilt van die op regel {first.line}.")
        same_name = name_rows.setdefault(row.region_name, row)
        if same_name.region_code != row.region_code:
            problems.append(
                f"Regel {row.line}: regionaam {row.region_name!r} hoort op regel {same_name.line} bij regiocode {same_name.region_code}."
            )
        same_code = code_rows.setdefault(row.cbs_code, row)
        if same_code.municipality != row.municipality:
            problems.append(
                f"Regel {row.line}: gemeentecode {row.cbs_code} heet op regel {same_code.line} "
                f"{same_code.municipality!r}, hier {row.municipality!r}."
            )


def _merge(spans: list[Span]) -> list[Span]:
    """Sorted spans with adjacent spans of the same key joined into one."""
    merged: list[Span] = []
    for key, start, end in sorted(spans, key=lambda span: span[1]):
        if merged and merged[-1][0] == key and merged[-1][2] == start:
            merged[-1] = (key, merged[-1][1], end)
        else:
            merged.append((key, start, end))
    return merged


def _overlap(a: Span, b: Span) -> bool:
    return (a[2] is None or b[1] < a[2]) and (b[2] is None or a[1] < b[2])


def _centrum_terms(rows: list[DivisionRow], problems: list[str]) -> dict[str, list[Span]]:
    """Per region its centrumgemeente terms, from the `centrumgemeente` column of its rows: on every day the
    rows of a region that hold then name one centrumgemeente, and it is one of those rows' municipalities."""
    by_region: dict[str, list[DivisionRow]] = defaultdict(list)
    for row in rows:
        by_region[row.region_code].append(row)
    terms: dict[str, list[Span]] = {}
    for code, region_rows in by_region.items():
        bounds = sorted({row.valid_from for row in region_rows} | {row.valid_until for row in region_rows if row.valid_until})
        spans: list[Span] = []
        for start, end in zip(bounds, [*bounds[1:], None], strict=True):
            holding = [
                row
                for row in region_rows
                if row.valid_from <= start and (row.valid_until is None or (end is not None and end <= row.valid_until))
            ]
            if not holding:
                continue
            named = sorted({row.centrumgemeente for row in holding if row.centrumgemeente})
            if len(named) > 1:
                problems.append(
                    f"Regel {holding[0].line}: regio {holding[0].region_name} heeft vanaf {start:%d-%m-%Y} meer dan één "
                    f"centrumgemeente ({', '.join(named)})."
                )
                continue
            members = {row.municipality: row.cbs_code for row in holding}
            if named and named[0] not in members:
                problems.append(
                    f"Regel {holding[0].line}: centrumgemeente {named[0]} is vanaf {start:%d-%m-%Y} geen gemeente van "
                    f"regio {holding[0].region_name}."
                )
                continue
            if named:
                spans.append((members[named[0]], start, end))
        terms[code] = _merge(spans)
    return terms


def _history_from_rows(rows: list[DivisionRow], problems: list[str]) -> History:
    """The history the rows describe (every row has its valid_from); overlaps are problems."""
    history = History()
    for row in rows:
        if row.region_code not in history.regions:
            history.regions[row.region_code] = RegionInfo(
                name=row.region_name,
                source=row.source,
                source_date=row.source_date,
                firmness=row.firmness or Region.Firmness.BESTE_KENNIS,
            )
        history.names.setdefault(row.cbs_code, row.municipality)
    by_code: dict[str, list[DivisionRow]] = defaultdict(list)
    for row in rows:
        by_code[row.cbs_code].append(row)
    for code, code_rows in by_code.items():
        code_rows.sort(key=lambda row: row.valid_from)
        for before, after in zip(code_rows, code_rows[1:], strict=False):
            if before.valid_until is None or after.valid_from < before.valid_until:
                problems.append(
                    f"Regel {after.line}: {after.municipality} ({code}) staat al op regel {before.line} "
                    f"(regio {before.region_name}) voor een periode die hiermee overlapt."
                )
        history.memberships[code] = _merge([(row.region_code, row.valid_from, row.valid_until) for row in code_rows])
    history.centrum = _centrum_terms(rows, problems)
    return history


def _history_from_database() -> History:
    history = History()
    for region in Region.objects.all():
        history.regions[region.code] = RegionInfo(region.name, region.source, region.source_date, region.source_firmness)
    history.names = dict(Municipality.objects.values_list("cbs_code", "name"))
    for cbs, region, start, end in Membership.objects.values_list("municipality__cbs_code", "region__code", "valid_from", "valid_until"):
        history.memberships.setdefault(cbs, []).append((region, start, end))
    for region, cbs, start, end in CentrumgemeenteTerm.objects.values_list(
        "region__code", "municipality__cbs_code", "valid_from", "valid_until"
    ):
        history.centrum.setdefault(region, []).append((cbs, start, end))
    for spans in (*history.memberships.values(), *history.centrum.values()):
        spans.sort(key=lambda span: span[1])
    return history


def _truncate(spans: list[Span], day: date) -> list[Span]:
    """The spans as far as they lie before `day`."""
    return [(key, start, day if end is None or end > day else end) for key, start, end in spans if start < day]


def _history_with_division(current: History, new: History, rows: list[DivisionRow], effective: date) -> History:
    """`current` until `effective`, the division `new` (built from the undated `rows`) from then on; regions and
    municipalities the rows leave out keep their past and end on `effective`."""
    history = History(regions=dict(current.regions), names={**current.names, **new.names})
    for code, info in new.regions.items():
        old = current.regions.get(code)
        has_source = any(row.source for row in rows if row.region_code == code)
        history.regions[code] = info if old is None or has_source else RegionInfo(info.name, old.source, old.source_date, old.firmness)
    for store, current_spans, new_spans in (
        (history.memberships, current.memberships, new.memberships),
        (history.centrum, current.centrum, new.centrum),
    ):
        for key in set(current_spans) | set(new_spans):
            store[key] = _merge(_truncate(current_spans.get(key, []), effective) + new_spans.get(key, []))
    return history


def _duplicate_checks(rows: list[DivisionRow], problems: list[str]) -> None:
    """An undated division names every municipality (by code and by name) once."""
    seen_codes: dict[str, DivisionRow] = {}
    seen_names: dict[str, DivisionRow] = {}
    for row in rows:
        if row.cbs_code in seen_codes:
            problems.append(f"Regel {row.line}: {row.municipality} ({row.cbs_code}) staat al op regel {seen_codes[row.cbs_code].line}.")
        elif row.municipality.lower() in seen_names:
            problems.append(f"Regel {row.line}: gemeente {row.municipality} staat al op regel {seen_names[row.municipality.lower()].line}.")
        seen_codes.setdefault(row.cbs_code, row)
        seen_names.setdefault(row.municipality.lower(), row)


# --- What changes, per region --------------------------------------------------------------------------------


@dataclass
class RegionDiff:
    name: str
    created: bool = False
    ended: bool = False
    renamed_from: str = ""
    moved_in: list[str] = field(default_factory=list)
    moved_out: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    centrumgemeente: tuple[str, str] | None = None

    def lines(self) -> list[str]:
        out = []
        if self.created:
            out.append("nieuwe regio")
        if self.renamed_from:
            out.append(f"hernoemd: {self.renamed_from} → {self.name}")
        if self.ended:
            out.append("houdt op te bestaan (geschiedenis, statussen en momentopnamen blijven bewaard)")
        out += [f"erbij: {item}" for item in self.moved_in]
        out += [f"weg: {item}" for item in self.moved_out]
        out += [f"nieuw in de indeling: {item}" for item in self.added]
        out += [f"uit de indeling: {item}" for item in self.removed]
        if self.centrumgemeente:
            out.append(f"centrumgemeente: {self.centrumgemeente[0] or '(geen)'} → {self.centrumgemeente[1]}")
        return out


@dataclass
class DivisionReport:
    """What a division change does, per region (by region code), in Dutch lines for the command's output."""

    effective: date | None = None
    regions: dict[str, RegionDiff] = field(default_factory=dict)
    municipalities_renamed: list[str] = field(default_factory=list)
    history_rows_corrected: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.municipalities_renamed or self.history_rows_corrected or any(diff.lines() for diff in self.regions.values()))

    def counts(self) -> dict[str, int]:
        diffs = self.regions.values()
        return {
            "regions_created": sum(diff.created for diff in diffs),
            "regions_ended": sum(diff.ended for diff in diffs),
            "regions_renamed": sum(bool(diff.renamed_from) for diff in diffs),
            "municipalities_moved": sum(len(diff.moved_in) for diff in diffs),
            "municipalities_added": sum(len(diff.added) for diff in diffs),
            "municipalities_removed": sum(len(diff.removed) for diff in diffs),
            "municipalities_renamed": len(self.municipalities_renamed),
            "centrumgemeenten_changed": sum(diff.centrumgemeente is not None for diff in diffs),
            "history_rows_corrected": self.history_rows_corrected,
        }

    def lines(self) -> list[str]:
        out = [f"Ingangsdatum: {date_format(self.effective, 'j F Y')}"] if self.effective else []
        for diff in sorted(self.regions.values(), key=lambda diff: diff.name):
            changes = diff.lines()
            if changes:
                out.append(f"{diff.name}:")
                out.extend(f"  - {change}" for change in changes)
        if self.municipalities_renamed:
            out.append("Hernoemde gemeenten:")
            out.extend(f"  - {item}" for item in self.municipalities_renamed)
        if self.history_rows_corrected:
            out.append(f"Gecorrigeerde perioden in de geschiedenis: {self.history_rows_corrected}")
        return out if self.changed else [*out, "Geen wijzigingen: de indeling was al zo."]


def _report(old: History, new: History, day: date) -> DivisionReport:
    """The difference between the division of `old` and that of `new` on `day`, per region."""
    old_members, old_centrum = old.on(day)
    new_members, new_centrum = new.on(day)
    report = DivisionReport()

    def diff(code: str) -> RegionDiff:
        return report.regions.setdefault(code, RegionDiff(name=new.regions.get(code, old.regions.get(code)).name))

    def label(code: str, history: History) -> str:
        return history.regions[code].name

    old_active, new_active = set(old_members.values()), set(new_members.values())
    for code in new_active - old_active:
        diff(code).created = code not in old.regions
    for code in old_active - new_active:
        diff(code).ended = True
    for code in new.regions:
        if code in old.regions and old.regions[code].name != new.regions[code].name:
            diff(code).renamed_from = old.regions[code].name
    for cbs in sorted(set(old_members) | set(new_members), key=lambda cbs: new.names.get(cbs, old.names.get(cbs, ""))):
        name = new.names.get(cbs) or old.names[cbs]
        was, becomes = old_members.get(cbs), new_members.get(cbs)
        if was == becomes:
            continue
        if was and becomes:
            diff(becomes).moved_in.append(f"{name} (uit {label(was, old)})")
            diff(was).moved_out.append(f"{name} (naar {label(becomes, new)})")
        elif becomes:
            diff(becomes).added.append(f"{name} ({cbs})")
        else:
            diff(was).removed.append(f"{name} ({cbs})")
    for cbs, name in new.names.items():
        if cbs in old.names and old.names[cbs] != name:
            report.municipalities_renamed.append(f"{old.names[cbs]} → {name} ({cbs})")
    for code, cbs in new_centrum.items():
        was = old_centrum.get(code)
        if was != cbs:
            diff(code).centrumgemeente = (old.names.get(was, "") if was else "", new.names[cbs])
    return report


# --- Writing ---------------------------------------------------------------------------------------------------


def _history_write(new: History, old: History, *, scope: set[str] | None = None) -> int:
    """Make the database hold `new`: create or update regions and municipalities, replace the memberships and
    centrumgemeente terms that differ, and set the division valid today on the municipalities. `scope`: the
    CBS codes whose memberships `new` decides (None: all). Returns the number of periods removed or replaced."""
    regions = {region.code: region for region in Region.objects.all()}
    for code, info in new.regions.items():
        region = regions.get(code)
        if region is None:
            regions[code] = Region.objects.create(
                code=code,
                name=info.name,
                slug=_free_slug(info.name, code),
                source=info.source,
                source_date=info.source_date,
                source_firmness=info.firmness,
            )
            continue
        wanted = {"name": info.name, "source": info.source, "source_date": info.source_date, "source_firmness": info.firmness}
        changed = [name for name, value in wanted.items() if getattr(region, name) != value]
        if changed:
            if "name" in changed:
                region.slug = _free_slug(info.name, code)
                changed.append("slug")
            for name, value in wanted.items():
                setattr(region, name, value)
            region.full_clean(validate_unique=False, validate_constraints=False)
            region.save(update_fields=changed)
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    for cbs, name in new.names.items():
        municipality = municipalities.get(cbs)
        if municipality is None:
            municipalities[cbs] = Municipality.objects.create(name=name, cbs_code=cbs)
        elif municipality.name != name:
            municipality.name = name
            municipality.save(update_fields=["name"])

    removed = 0
    keys = new.memberships.keys() if scope is None else scope
    stale = [(Membership, cbs, span) for cbs in keys for span in old.memberships.get(cbs, []) if span not in new.memberships.get(cbs, [])]
    stale += [
        (CentrumgemeenteTerm, code, span) for code, spans in old.centrum.items() for span in spans if span not in new.centrum.get(code, [])
    ]
    for model, key, (value, start, _) in stale:
        if model is Membership:
            model.objects.filter(municipality__cbs_code=key, region__code=value, valid_from=start).delete()
        else:
            model.objects.filter(region__code=key, municipality__cbs_code=value, valid_from=start).delete()
        removed += 1
    Membership.objects.bulk_create(
        Membership(municipality=municipalities[cbs], region=regions[code], valid_from=start, valid_until=end)
        for cbs in keys
        for code, start, end in new.memberships.get(cbs, [])
        if (code, start, end) not in old.memberships.get(cbs, [])
    )
    CentrumgemeenteTerm.objects.bulk_create(
        CentrumgemeenteTerm(region=regions[code], municipality=municipalities[cbs], valid_from=start, valid_until=end)
        for code, spans in new.centrum.items()
        for cbs, start, end in spans
        if (cbs, start, end) not in old.centrum.get(code, [])
    )

    today_members, today_centrum = new.on(timezone.localdate())
    centrum_codes = set(today_centrum.values())
    changed = []
    for cbs, municipality in municipalities.items():
        region = regions.get(today_members.get(cbs, ""))
        if (municipality.region_id, municipality.is_centrumgemeente) != (region and region.pk, cbs in centrum_codes):
            municipality.region, municipality.is_centrumgemeente = region, cbs in centrum_codes
            changed.append(municipality)
    if changed:
        # Clear the flags first so that moving the centrumgemeente never trips the one-per-region constraint.
        Municipality.objects.filter(pk__in=[m.pk for m in changed], is_centrumgemeente=True).update(is_centrumgemeente=False)
        Municipality.objects.bulk_update(changed, ["region", "is_centrumgemeente"], batch_size=500)
    return removed


def _free_slug(name: str, code: str) -> str:
    slug = slugify(name) or slugify(code)
    taken = Region.objects.filter(slug=slug).exclude(code=code).exists()
    return f"{slug}-{slugify(code)}" if taken else slug


def _authorise(user) -> None:
    if user is not None and not is_beheerder(user):
        raise PermissionDenied("Alleen een beheerder mag de regio-indeling wijzigen.")


def _audit(report: DivisionReport, user, description: str) -> None:
    if report.changed:
        audit_record(kind=AuditEvent.Kind.DATA_CHANGE, user=user, description=description, details=report.counts())


# --- Services ----------------------------------------------------------------------------------------------------


def _import_plan(rows: list[DivisionRow], effective: date) -> tuple[History, History, DivisionReport]:
    problems: list[str] = []
    _row_checks(rows, problems)
    _duplicate_checks(rows, problems)
    if not rows:
        problems.append("Het bestand bevat geen gemeenten.")
    current = _history_from_database()
    last = current.last_change()
    if effective > timezone.localdate():
        problems.append(f"De ingangsdatum {effective:%d-%m-%Y} ligt in de toekomst; voer de indeling in op of na die dag.")
    if last is not None and effective < last:
        problems.append(
            f"De ingangsdatum {effective:%d-%m-%Y} ligt voor de laatste wijziging van de indeling ({last:%d-%m-%Y}); "
            "een eerdere datum zou die wijziging ongedaan maken."
        )
    first_rows = {row.cbs_code: row for row in reversed(rows)}.values()  # a code twice is reported above
    division = _history_from_rows([replace(row, valid_from=effective, valid_until=None) for row in first_rows], problems)
    if problems:
        raise ApplicationError("De indeling is niet geldig:\n" + "\n".join(problems))
    new = _history_with_division(current, division, rows, effective)
    report = _report(current, new, effective)
    report.effective = effective
    return current, new, report


def division_preview(*, rows: list[DivisionRow], effective: date) -> DivisionReport:
    """What `division_import` would change, per region; writes nothing."""
    return _import_plan(rows, effective)[2]


@transaction.atomic
def division_import(*, rows: list[DivisionRow], effective: date, user=None) -> DivisionReport:
    """From `effective` on, the division is `rows` (no dates); every membership before that day is kept.

    Refused whole (ApplicationError, one Dutch line per problem) for an unknown CBS code, a municipality twice,
    a region without centrumgemeente, or an effective date in the future or before the last change.
    Regions the rows leave out end on `effective` and keep their statuses and snapshots.
    """
    _authorise(user)
    list(Region.objects.select_for_update())  # one division change at a time
    current, new, report = _import_plan(rows, effective)
    _history_write(new, current)
    _audit(report, user, f"Regio-indeling ingevoerd per {effective:%d-%m-%Y}")
    return report


@transaction.atomic
def division_load_reference(*, rows: list[DivisionRow], user=None) -> DivisionReport:
    """Make the database's division history equal to the dated `rows` of the shipped file (idempotent).

    A correction in the file corrects the past too (the old data was wrong, not the world). Refused when the
    database holds a change dated after the file's last one (an import the file does not know yet), so an
    import is never undone silently. Regions the file leaves out keep their rows; so do their statuses.
    """
    _authorise(user)
    list(Region.objects.select_for_update())
    problems: list[str] = []
    _row_checks(rows, problems)
    missing_from = [row for row in rows if row.valid_from is None]
    problems += [f"Regel {row.line}: vanaf is leeg." for row in missing_from]
    if not rows:
        problems.append("Het bestand bevat geen gemeenten.")
    if problems:
        raise ApplicationError("De indeling is niet geldig:\n" + "\n".join(problems))
    new = _history_from_rows(rows, problems)
    if problems:
        raise ApplicationError("De indeling is niet geldig:\n" + "\n".join(problems))
    current = _history_from_database()
    file_last, database_last = new.last_change(), current.last_change()
    if database_last is not None and file_last is not None and database_last > file_last:
        raise ApplicationError(
            f"De database bevat een wijziging van de indeling per {database_last:%d-%m-%Y}, na de laatste in het "
            f"bestand ({file_last:%d-%m-%Y}). Neem die eerst op in {DIVISION_FILE.name}; er is niets gewijzigd."
        )
    merged = History(
        regions={**current.regions, **new.regions},
        names={**current.names, **new.names},
        memberships={**current.memberships, **new.memberships},
        centrum={
            **{code: spans for code, spans in current.centrum.items() if code not in new.regions and _keeps_members(code, current, new)},
            **new.centrum,
        },
    )
    report = _report(current, merged, timezone.localdate())
    report.history_rows_corrected = _history_write(merged, current)
    _audit(report, user, "Regio-indeling geladen uit het referentiebestand")
    return report


def _keeps_members(region: str, current: History, new: History) -> bool:
    """Whether a region the file leaves out still has memberships once the file's are in."""
    return any(code == region for cbs, spans in current.memberships.items() if cbs not in new.memberships for code, _, _ in spans)


def division_reference_rows() -> list[DivisionRow]:
    return division_rows_from_csv(DIVISION_FILE.read_text(encoding="utf-8"), dated=True)
