"""The status table as a spreadsheet: one row per region, one column per agreement.

Export and import share this one layout (`Code`, `Regio`, `Centrumgemeente`, `Afspraak N – titel` …,
`Score`, which is `region_score`, the dashboard's score), so a file exported here can be edited in Excel and
uploaded again. The export takes rows, so the same functions write the current state and a dashboard snapshot
of any month (`dashboard.selectors.snapshot_status_rows`).
"""

import io
import re
import xml.sax
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.roles import can_edit_region
from agreements.models import Afstemming, Agreement, AgreementStatus, Status, StatusChange, region_score
from agreements.selectors import status_list_with_criteria_counts
from core.errors import ApplicationError
from core.excel_csv import excel_csv
from regions.models import Region
from regions.selectors import region_list

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Bounds of an import, checked before openpyxl parses anything (a 1 MB upload can unpack to gigabytes). The
# export of 500 regions is about 1 MB unpacked, 12 members, 30,000 XML elements and no text over 200 characters.
MAX_IMPORT_ROWS = 500
MAX_IMPORT_COLUMNS = 50  # columns further right are not read
MAX_IMPORT_MEMBERS = 100  # files inside the zip
MAX_IMPORT_UNPACKED_BYTES = 10 * 1024 * 1024  # all members together, as the zip directory declares them
MAX_IMPORT_XML_ELEMENTS = 100_000  # all XML members together: cells, rows, shared strings, styles …
MAX_IMPORT_TEXT_CHARS = 10_000  # one text run in the XML (a cell's text, or whitespace between elements)
MAX_SHOWN_CHARS = 40  # of a cell's text quoted in the preview
_AGREEMENT_HEADER = re.compile(r"^afspraak\s+(\d+)\b", re.IGNORECASE)
_STATUS_BY_LABEL = {label.lower(): Status(value) for value, label in Status.choices}


@dataclass(frozen=True)
class StatusTableRow:
    """One region's line in the table; `statuses` maps agreement number → status."""

    code: str
    region: str
    centrumgemeente: str
    statuses: dict[int, int]
    score: int
    # Columns after the score that only some exports have (the dashboard's Netwerk and Achterblijver); the import
    # reads Code and the agreement columns only, so it ignores them.
    extra: tuple[str, ...] = ()
    afstemming: dict[int, str] = field(default_factory=dict)  # agreement number → Afstemming value


def current_status_rows() -> list[StatusTableRow]:
    """The table as it stands now, one row per region in name order (three queries whatever the size)."""
    by_region: dict[int, dict[int, int]] = {}
    afstemming: dict[int, dict[int, str]] = {}
    for region_id, number, status, value in AgreementStatus.objects.values_list("region_id", "agreement__number", "status", "afstemming"):
        by_region.setdefault(region_id, {})[number] = status
        afstemming.setdefault(region_id, {})[number] = value
    return [
        StatusTableRow(
            code=region.code,
            region=region.name,
            centrumgemeente=str(region.centrumgemeente or ""),
            statuses=by_region.get(region.id, {}),
            score=region_score(by_region.get(region.id, {}).values()),
            afstemming=afstemming.get(region.id, {}),
        )
        for region in region_list()
    ]


def status_table_headers(agreements: Sequence[Agreement], extra: Sequence[str] = ()) -> list[str]:
    """The import reads Code and the Afspraak columns; the columns after Score (the export's extra ones, then the
    afstemming per agreement and "x van 8" afgestemd) are for reading only."""
    return [
        "Code",
        "Regio",
        "Centrumgemeente",
        *(f"Afspraak {a.number} – {a.title}" for a in agreements),
        "Score",
        *extra,
        *(f"Afstemming {a.number}" for a in agreements),
        "Afgestemd",
    ]


def _cells(agreements: Sequence[Agreement], row: StatusTableRow) -> list:
    labels = [Status(row.statuses[a.number]).label if a.number in row.statuses else "" for a in agreements]
    afstemming = [Afstemming(row.afstemming[a.number]).label if a.number in row.afstemming else "" for a in agreements]
    agreed = sum(value == Afstemming.AFGESTEMD for value in row.afstemming.values())
    return [row.code, row.region, row.centrumgemeente, *labels, row.score, *row.extra, *afstemming, f"{agreed} van {len(agreements)}"]


def status_table_csv(*, agreements: Sequence[Agreement], rows: Iterable[StatusTableRow], extra: Sequence[str] = ()) -> bytes:
    return excel_csv(headers=status_table_headers(agreements, extra), rows=(_cells(agreements, row) for row in rows))


THEME_CSS = settings.BASE_DIR / "static" / "css" / "theme.css"
_THEME_STATUS = re.compile(r"--nvo-status-(\d):\s*#([0-9a-fA-F]{6});\s*--nvo-status-\1-text:\s*#([0-9a-fA-F]{6})")


@cache
def status_palette() -> dict[int, tuple[str, str]]:
    """Status → (fill, text) colour as RGB hex, read from the app's theme so the spreadsheet and the pages share one
    palette (static/css/theme.css, where each pair's contrast ratio is noted)."""
    palette = {int(status): (fill.upper(), text.upper()) for status, fill, text in _THEME_STATUS.findall(THEME_CSS.read_text())}
    if set(palette) != set(Status.values):
        raise RuntimeError(f"{THEME_CSS} lacks a colour pair for some status")  # a broken theme must not ship
    return palette


def _as_text(cell) -> None:
    """Text that a spreadsheet would run as a formula (=, +, -, @) stays text, as in the CSV."""
    if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"


# Widths in characters: code, region, centrumgemeente, each agreement, score, any extra column, each afstemming.
_WIDTHS = {"code": 10, "region": 34, "centrumgemeente": 22, "agreement": 17, "score": 8, "extra": 30, "afstemming": 17}


def status_table_xlsx(
    *,
    agreements: Sequence[Agreement],
    rows: Iterable[StatusTableRow],
    title: str,
    about: Sequence[tuple[str, object]] = (),
    extra: Sequence[str] = (),
) -> bytes:
    """The table on the first sheet (the import reads only that one), shaped to open and print well: widths that fit
    the statuses, wrapped and frozen header, an autofilter, status cells in the app's colours (the label stays, so
    colour is never the only signal), A4 landscape fitted to the page width. `about` (label, value) pairs, such as
    the peildatum as a real date cell, go on a second sheet "Over dit bestand"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(status_table_headers(agreements, extra))
    header_style = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = header_style
    status_columns = range(4, 4 + len(agreements))
    by_label = {label: value for value, label in Status.choices}
    fills = {status: (PatternFill("solid", fgColor=fill), Font(color=text)) for status, (fill, text) in status_palette().items()}
    for row in rows:
        sheet.append(_cells(agreements, row))
        for cell in sheet[sheet.max_row]:
            _as_text(cell)
            if cell.column in status_columns and cell.value in by_label:
                cell.fill, cell.font = fills[by_label[cell.value]]
    widths = [_WIDTHS["code"], _WIDTHS["region"], _WIDTHS["centrumgemeente"], *[_WIDTHS["agreement"]] * len(agreements)]
    widths += [_WIDTHS["score"], *[_WIDTHS["extra"]] * len(extra), *[_WIDTHS["afstemming"]] * len(agreements), _WIDTHS["score"]]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 75  # room for the wrapped agreement titles
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if about:
        about_sheet = workbook.create_sheet("Over dit bestand")
        for label, value in about:
            about_sheet.append([label, value])
            if isinstance(value, datetime):
                about_sheet.cell(row=about_sheet.max_row, column=2).number_format = "dd-mm-yyyy hh:mm"
        about_sheet.column_dimensions["A"].width = 22
        about_sheet.column_dimensions["B"].width = 60
        for row in about_sheet.iter_rows():
            row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Import -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedChange:
    """One status the import would change, with the version it was read at (to detect later edits)."""

    status_id: int
    version: int
    region: str
    agreement: int
    old: int
    new: int

    @property
    def old_label(self) -> str:
        return Status(self.old).label

    @property
    def new_label(self) -> str:
        return Status(self.new).label


@dataclass(frozen=True)
class RejectedRow:
    row: int
    region: str
    reasons: list[str]


@dataclass
class StatusImportPlan:
    changes: list[PlannedChange] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    unchanged_rows: int = 0


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _shown(text: str) -> str:
    """A cell's text as the preview quotes it: at most MAX_SHOWN_CHARS characters."""
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


UNREADABLE = (
    "Dit bestand kan niet worden gelezen als Excel-bestand (.xlsx). Sla het in Excel op als 'Excel-werkmap (.xlsx)' en probeer het opnieuw."
)
NOT_A_STATUS_TABLE = "dat is geen statusoverzicht. Gebruik de export 'huidige stand'."


class _XmlBudget(xml.sax.handler.ContentHandler):
    """Counts the elements of every XML member and the length of each text run while it is unpacked."""

    def __init__(self):
        super().__init__()
        self.elements = 0
        self.text = 0

    def startElement(self, name, attrs):  # noqa: N802 - the SAX interface
        self.elements += 1
        self.text = 0
        if self.elements > MAX_IMPORT_XML_ELEMENTS:
            raise ApplicationError(
                f"Het bestand bevat te veel cellen of regels (meer dan {MAX_IMPORT_XML_ELEMENTS:_} XML-elementen); ".replace("_", ".")
                + NOT_A_STATUS_TABLE
            )

    def endElement(self, name):  # noqa: N802 - the SAX interface
        self.text = 0

    def characters(self, content):
        self.text += len(content)
        if self.text > MAX_IMPORT_TEXT_CHARS:
            raise ApplicationError(
                f"Het bestand bevat een tekst van meer dan {MAX_IMPORT_TEXT_CHARS:_} tekens; ".replace("_", ".") + NOT_A_STATUS_TABLE
            )


def _check_bounds(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl sees it: the members and their unpacked size from the zip directory
    (zipfile stops at the declared size, so a lying directory only gets a CRC error), then every XML member
    streamed through a SAX parser that forbids DTDs and entities (defusedxml) while it counts elements and
    text. Memory stays at one 64 KB chunk whatever the file claims to hold."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise ApplicationError(UNREADABLE) from error
    if len(members) > MAX_IMPORT_MEMBERS:
        raise ApplicationError(f"Het bestand bestaat uit meer dan {MAX_IMPORT_MEMBERS} onderdelen; " + NOT_A_STATUS_TABLE)
    if sum(member.file_size for member in members) > MAX_IMPORT_UNPACKED_BYTES:
        limit = MAX_IMPORT_UNPACKED_BYTES // (1024 * 1024)
        raise ApplicationError(f"Het bestand is uitgepakt groter dan {limit} MB; " + NOT_A_STATUS_TABLE)
    budget = _XmlBudget()
    try:
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            parser = DefusedExpatParser(forbid_dtd=True)
            parser.setContentHandler(budget)
            with archive.open(member) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.feed(chunk)
            parser.close()
    except ApplicationError:
        raise
    except (
        DefusedXmlException,
        xml.sax.SAXException,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as error:  # damaged zip or XML, DTD or entities, unknown compression
        raise ApplicationError(UNREADABLE) from error


def read_status_sheet(data: bytes) -> list[tuple]:
    """The first sheet's rows (at most MAX_IMPORT_ROWS + 1, MAX_IMPORT_COLUMNS wide) of an uploaded XLSX, or a
    Dutch ApplicationError when the upload is too large, a zip bomb, damaged, or not an XLSX."""
    if len(data) > settings.STATUS_IMPORT_MAX_BYTES:
        limit = settings.STATUS_IMPORT_MAX_BYTES // (1024 * 1024)
        raise ApplicationError(f"Het bestand is te groot: het mag hoogstens {limit} MB zijn.")
    _check_bounds(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            # max_row/max_col: openpyxl fills gaps (a lone row 1,000,000) and pads rows to the declared width.
            rows = list(workbook.worksheets[0].iter_rows(max_row=MAX_IMPORT_ROWS + 2, max_col=MAX_IMPORT_COLUMNS, values_only=True))
        finally:
            workbook.close()
    except Exception as error:  # noqa: BLE001 - a damaged upload makes openpyxl raise almost anything (zip, XML, index)
        raise ApplicationError(UNREADABLE) from error
    if len(rows) > MAX_IMPORT_ROWS + 1:
        raise ApplicationError(f"Het bestand heeft meer dan {MAX_IMPORT_ROWS} regels; " + NOT_A_STATUS_TABLE)
    return rows


def _columns(header: tuple, agreements: dict[int, Agreement]) -> tuple[int, dict[int, int]]:
    """Index of the Code column and of each agreement's column; refuse a layout that differs from the export."""
    names = [_text(value) for value in header]
    code_columns = [i for i, name in enumerate(names) if name.lower() == "code"]
    agreement_columns: dict[int, int] = {}
    problems = []
    for index, name in enumerate(names):
        match = _AGREEMENT_HEADER.match(name)
        if not match:
            continue
        number = int(match.group(1))
        if number not in agreements:
            problems.append(f"kolom '{_shown(name)}' hoort bij geen bekende afspraak")
        elif number in agreement_columns:
            problems.append(f"afspraak {number} staat twee keer in de kopregel")
        agreement_columns.setdefault(number, index)
    if len(code_columns) != 1:
        problems.append("de kolom 'Code' ontbreekt" if not code_columns else "de kolom 'Code' staat er twee keer in")
    missing = sorted(set(agreements) - set(agreement_columns))
    if missing:
        problems.append("de kolom(men) " + ", ".join(f"'Afspraak {n}'" for n in missing) + " ontbreken")
    if problems:
        raise ApplicationError(
            "De indeling van het bestand klopt niet: " + "; ".join(problems) + ". "
            "Gebruik de indeling van de export 'huidige stand' (eerste regel: Code, Regio, Centrumgemeente, "
            "Afspraak 1 … Afspraak 8, Score)."
        )
    return code_columns[0], agreement_columns


def status_import_plan(*, user, data: bytes) -> StatusImportPlan:
    """Read an uploaded status table and work out what it would change; writes nothing.

    The whole file is refused (ApplicationError) when it is not a readable XLSX in the export's layout.
    Otherwise each row is either planned, unchanged, or rejected with its reasons: a row is applied
    completely or not at all. A row for a region the uploader may not edit is only rejected when it would
    change something, so that the full national export can be uploaded back unchanged.
    The import sets statuses only; Gerealiseerd is accepted when every minimum criterion is already
    ticked in the app (criteria are ticked on the status page, not in a spreadsheet).
    """
    rows = read_status_sheet(data)
    if not rows:
        raise ApplicationError("Het bestand is leeg.")
    agreements = {a.number: a for a in Agreement.objects.all()}
    code_column, agreement_columns = _columns(rows[0], agreements)
    regions = {region.code.lower(): region for region in Region.objects.all()}
    statuses = {(s.region_id, s.agreement.number): s for s in status_list_with_criteria_counts()}
    allowed = ", ".join(label for _, label in Status.choices)

    plan = StatusImportPlan()
    seen: dict[int, int] = {}
    data_rows = 0
    for row_number, row in enumerate(rows[1:], start=2):
        cells = [_text(value) for value in row]
        if not any(cells):
            continue
        data_rows += 1
        cells += [""] * (len(rows[0]) - len(cells))  # Excel may leave trailing empty cells out
        code = cells[code_column]
        region = regions.get(code.lower())
        if region is None:
            reason = f"Onbekende regiocode '{_shown(code)}'." if code else "Regiocode ontbreekt."
            plan.rejected.append(RejectedRow(row_number, _shown(code), [reason]))
            continue
        if region.id in seen:
            reason = f"Deze regio staat al in regel {seen[region.id]}."
            plan.rejected.append(RejectedRow(row_number, region.name, [reason]))
            continue
        seen[region.id] = row_number
        reasons, changes = [], []
        for number, column in sorted(agreement_columns.items()):
            label = cells[column]
            new = _STATUS_BY_LABEL.get(label.lower())
            current = statuses.get((region.id, number))
            if new is None:
                reasons.append(f"Afspraak {number}: onbekende status '{_shown(label)}'; kies uit {allowed}.")
            elif current is None:
                reasons.append(f"Afspraak {number}: deze regio heeft nog geen status voor deze afspraak.")
            elif new != current.status:
                if new == Status.GEREALISEERD and current.criteria_met_count < current.criteria_total:
                    reasons.append(
                        f"Afspraak {number}: Gerealiseerd kan pas als alle minimumcriteria zijn aangevinkt; "
                        "vink ze aan op de statuspagina van de regio."
                    )
                changes.append(PlannedChange(current.pk, current.version, region.name, number, current.status, new))
        if changes and not can_edit_region(user, region.id):
            reasons.insert(0, "U mag de statussen van deze regio niet wijzigen.")
        if reasons:
            plan.rejected.append(RejectedRow(row_number, region.name, reasons))
        elif changes:
            plan.changes.extend(changes)
        else:
            plan.unchanged_rows += 1
    if not data_rows:
        raise ApplicationError("Het bestand bevat geen regio's: onder de kopregel staan geen gegevens.")
    return plan


# --- History ----------------------------------------------------------------------------------------

HISTORY_HEADERS = [
    "Datum",
    "Tijd",
    "Afspraak",
    "Oude status",
    "Nieuwe status",
    "Oude criteria voldaan",
    "Nieuwe criteria voldaan",
    "Oude toelichting",
    "Nieuwe toelichting",
    "Door",
    "Versie",
]


def status_history_csv(*, changes: Iterable[StatusChange]) -> bytes:
    """A region's status history for Dutch Excel (UTF-8 with BOM, `;`); dates as ISO dates in Dutch time."""
    rows = []
    for change in changes:
        moment = timezone.localtime(change.changed_at)
        by = change.changed_by
        rows.append(
            [
                moment.date().isoformat(),
                moment.strftime("%H:%M"),
                change.agreement_status.agreement.number,
                change.get_old_status_display(),
                change.get_new_status_display(),
                ", ".join(map(str, change.old_criteria)),
                ", ".join(map(str, change.new_criteria)),
                change.old_explanation,
                change.new_explanation,
                (by.get_full_name() or by.username) if by else "",
                change.version,
            ]
        )
    return excel_csv(headers=HISTORY_HEADERS, rows=rows)
