"""Hostile import files: zip bombs and XML tricks are refused in Dutch before they cost memory or time.

Each bomb is parsed in a child process whose address space is limited to what it uses after start-up plus
256 MB (RLIMIT_AS), so a bound that fails shows up as a MemoryError or a killed child, not as a slow machine.
The bombs are generated here: a 1 GiB cell packs into about 1 MB, under the 2 MB upload limit.
"""

import io
import json
import os
import subprocess
import sys
import xml.sax
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from agreements import spreadsheets
from agreements.spreadsheets import (
    MAX_IMPORT_MEMBERS,
    MAX_IMPORT_ROWS,
    MAX_IMPORT_TEXT_CHARS,
    MAX_IMPORT_UNPACKED_BYTES,
    MAX_IMPORT_XML_ELEMENTS,
    read_status_sheet,
)
from core.errors import ApplicationError

BASE_DIR = Path(__file__).resolve().parents[2]
GIB, MIB = 1 << 30, 1 << 20
SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Code</t></is></c></row>'

TOO_BIG = "uitgepakt groter dan 10 MB"
TOO_MANY_ELEMENTS = "te veel cellen of regels"
TOO_LONG = "een tekst van meer dan 10.000 tekens"
TOO_MANY_ROWS = f"meer dan {MAX_IMPORT_ROWS} regels"
UNREADABLE = "kan niet worden gelezen als Excel-bestand"


def _base_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Code", "Regio"])
    workbook.active.append(["BWMO01", "Achterhoek"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_member(name: str, parts, more: dict[str, bytes] | None = None) -> bytes:
    """The base workbook with member `name` streamed from `parts` (an iterable of bytes), compressed hard;
    `more` replaces or adds other members."""
    members = {name: parts, **{member: [content] for member, content in (more or {}).items()}}
    source, out = zipfile.ZipFile(io.BytesIO(_base_workbook())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename not in members:
                target.writestr(item.filename, source.read(item.filename))
        for member, member_parts in members.items():
            with target.open(member, "w") as stream:
                for part in member_parts:
                    stream.write(part)
    return out.getvalue()


def _repeat(piece: bytes, total: int, chunk: int = MIB):
    block = piece * max(1, chunk // len(piece))
    for _ in range(total // len(block)):
        yield block


def _sheet(*middle) -> list:
    return [HEAD, b"<worksheet " + NS + b"><sheetData>", HEADER_ROW, *middle, b"</sheetData></worksheet>"]


def _inline_string(size: int) -> bytes:
    cell = [b'<row r="2"><c r="A2" t="inlineStr"><is><t>']
    return _with_member(SHEET, [*_sheet(*cell, *_repeat(b"A", size), b"</t></is></c></row>")])


def _shared_strings(size: int) -> bytes:
    """One shared string of `size` characters, used by cell A2 (openpyxl itself writes inline strings)."""
    types = (
        zipfile.ZipFile(io.BytesIO(_base_workbook()))
        .read("[Content_Types].xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
        )
    )
    sheet = b"".join(_sheet(b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'))
    return _with_member(
        SHARED,
        [HEAD, b"<sst " + NS + b' count="1" uniqueCount="1"><si><t>', *_repeat(b"B", size), b"</t></si></sst>"],
        {"[Content_Types].xml": types, SHEET: sheet},
    )


def _whitespace(size: int) -> bytes:
    return _with_member(SHEET, _sheet(*_repeat(b" ", size)))


def _rows(count: int) -> bytes:
    return _with_member(SHEET, _sheet(*_repeat(b"<row/>", count * len(b"<row/>"), chunk=60_000)))


def _far_row() -> bytes:
    """A tiny sheet that claims the whole grid and has one cell in the very last row and column."""
    return _with_member(
        SHEET,
        [
            HEAD,
            b"<worksheet " + NS + b'><dimension ref="A1:XFD1048576"/><sheetData>',
            HEADER_ROW,
            b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>',
        ],
    )


def _billion_laughs() -> bytes:
    entities = b'<!ENTITY a0 "lol">' + b"".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10))
    return _with_member(
        SHEET,
        [
            HEAD,
            b"<!DOCTYPE worksheet [" + entities + b"]>",
            b"<worksheet " + NS + b"><sheetData>",
            HEADER_ROW,
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>',
        ],
    )


def _lying_directory() -> bytes:
    """A sheet whose zip directory claims 1 KB for what unpacks to 100 MB."""
    data = bytearray(_whitespace(100 * MIB))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo(SHEET)
    # Local header: uncompressed size at offset 22; central directory entry: at offset 24.
    data[info.header_offset + 22 : info.header_offset + 26] = (1024).to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == SHEET.encode():
            data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
            break
        central = data.find(b"PK\x01\x02", central + 4)
    patched = bytes(data)
    assert zipfile.ZipFile(io.BytesIO(patched)).getinfo(SHEET).file_size == 1024
    return patched


def _many_members(count: int) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(_base_workbook())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        for n in range(count - len(source.infolist())):
            target.writestr(f"docProps/extra{n}.bin", b"")
    return out.getvalue()


_CHILD = """
import json, resource, sys
import django
django.setup()
from agreements.spreadsheets import read_status_sheet
from core.errors import ApplicationError
data = open(sys.argv[1], "rb").read()
with open("/proc/self/status") as status:
    used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
limit = used + 256 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    rows = read_status_sheet(data)
except ApplicationError as error:
    print(json.dumps({"refused": error.message}))
except MemoryError:
    print(json.dumps({"memory": True}))
else:
    print(json.dumps({"rows": len(rows)}))
"""


def _parse_in_child(tmp_path, data: bytes) -> dict:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", _CHILD, str(path)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "nvo_tracker.settings"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def bombs():
    return {
        "inline-string-1GiB": (_inline_string(GIB), TOO_BIG),
        "shared-strings-256MiB": (_shared_strings(256 * MIB), TOO_BIG),
        "whitespace-256MiB": (_whitespace(256 * MIB), TOO_BIG),
        "inline-string-9MiB": (_inline_string(9 * MIB), TOO_LONG),
        "shared-strings-9MiB": (_shared_strings(9 * MIB), TOO_LONG),
        "whitespace-9MiB": (_whitespace(9 * MIB), TOO_LONG),
        "a-million-rows": (_rows(1_000_000), TOO_MANY_ELEMENTS),
        "the-last-row-and-column": (_far_row(), TOO_MANY_ROWS),
        "billion-laughs": (_billion_laughs(), UNREADABLE),
        "lying-zip-directory": (_lying_directory(), UNREADABLE),
        "too-many-members": (_many_members(MAX_IMPORT_MEMBERS + 1), f"meer dan {MAX_IMPORT_MEMBERS} onderdelen"),
    }


BOMBS = [
    "inline-string-1GiB",
    "shared-strings-256MiB",
    "whitespace-256MiB",
    "inline-string-9MiB",
    "shared-strings-9MiB",
    "whitespace-9MiB",
    "a-million-rows",
    "the-last-row-and-column",
    "billion-laughs",
    "lying-zip-directory",
    "too-many-members",
]


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_is_refused_in_dutch_within_a_memory_limit(bombs, tmp_path, name):
    data, message = bombs[name]
    assert len(data) <= 2 * MIB, "every bomb fits under the upload limit"
    outcome = _parse_in_child(tmp_path, data)
    assert "refused" in outcome, outcome
    assert message in outcome["refused"]


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


# --- Each bound, just over it and at it (in-process: these files are small) ---


def test_unpacked_size_just_over_the_limit_is_refused():
    base = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(_whitespace(0))).infolist())
    over = _with_member(SHEET, _sheet(b" " * (MAX_IMPORT_UNPACKED_BYTES - base + 1 - 0)))
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(over)).infolist())
    assert total == MAX_IMPORT_UNPACKED_BYTES + 1
    with pytest.raises(ApplicationError, match=TOO_BIG):
        read_status_sheet(over)


def test_a_text_run_just_over_the_limit_is_refused_and_one_at_it_is_read():
    def sheet(length):
        return _with_member(SHEET, _sheet(b'<row r="2"><c r="A2" t="inlineStr"><is><t>', b"A" * length, b"</t></is></c></row>"))

    with pytest.raises(ApplicationError, match=TOO_LONG):
        read_status_sheet(sheet(MAX_IMPORT_TEXT_CHARS + 1))
    assert read_status_sheet(sheet(MAX_IMPORT_TEXT_CHARS))[1][0] == "A" * MAX_IMPORT_TEXT_CHARS


def _element_count(data: bytes) -> int:
    class Counter(xml.sax.handler.ContentHandler):
        elements = 0

        def startElement(self, name, attrs):  # noqa: N802 - the SAX interface
            self.elements += 1

    counter, archive = Counter(), zipfile.ZipFile(io.BytesIO(data))
    for member in archive.namelist():
        if member.endswith((".xml", ".rels")):
            xml.sax.parseString(archive.read(member), counter)  # noqa: S317 - our own generated test file
    return counter.elements


def test_xml_elements_just_over_the_limit_are_refused_and_at_it_read():
    room = MAX_IMPORT_XML_ELEMENTS - _element_count(_with_member(SHEET, _sheet(b'<row r="2">', b"</row>")))
    # Empty cells in one row: openpyxl reads them, and the row limit stays out of the way.
    at = _with_member(SHEET, _sheet(b'<row r="2">', b"<c/>" * room, b"</row>"))
    over = _with_member(SHEET, _sheet(b'<row r="2">', b"<c/>" * (room + 1), b"</row>"))
    assert _element_count(at) == MAX_IMPORT_XML_ELEMENTS and _element_count(over) == MAX_IMPORT_XML_ELEMENTS + 1
    assert len(read_status_sheet(at)) == 2
    with pytest.raises(ApplicationError, match=TOO_MANY_ELEMENTS):
        read_status_sheet(over)


def test_members_just_over_the_limit_are_refused_and_at_it_read():
    assert read_status_sheet(_many_members(MAX_IMPORT_MEMBERS))[0][0] == "Code"
    with pytest.raises(ApplicationError, match=f"meer dan {MAX_IMPORT_MEMBERS} onderdelen"):
        read_status_sheet(_many_members(MAX_IMPORT_MEMBERS + 1))


def test_rows_just_over_the_limit_are_refused():
    def sheet(regions):
        workbook = Workbook()
        for n in range(regions + 1):
            workbook.active.append([f"R{n}"])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    assert len(read_status_sheet(sheet(MAX_IMPORT_ROWS))) == MAX_IMPORT_ROWS + 1
    with pytest.raises(ApplicationError, match=TOO_MANY_ROWS):
        read_status_sheet(sheet(MAX_IMPORT_ROWS + 1))


def test_columns_beyond_the_limit_are_not_read():
    workbook = Workbook()
    workbook.active.append([f"K{n}" for n in range(200)])
    out = io.BytesIO()
    workbook.save(out)
    assert len(read_status_sheet(out.getvalue())[0]) == spreadsheets.MAX_IMPORT_COLUMNS


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["inline-string-1GiB", "a-million-rows"])
def test_the_import_page_refuses_a_bomb_in_dutch(client, make_user, bombs, name):
    data, message = bombs[name]
    client.force_login(make_user(Role.REGIO_ADVISEUR))
    upload = io.BytesIO(data)
    upload.name = "stand.xlsx"
    response = client.post("/importeren/", {"file": upload})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "Voorvertoning import" not in response.content.decode()
