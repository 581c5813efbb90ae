"""Export of the status table, its import with preview and confirmation, and the region history CSV."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from agreements.models import AgreementStatus, Status, StatusChange
from agreements.services import status_update
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(db):
    return [AgreementFactory(number=n, title=f"Titel {n}") for n in range(1, 9)]


def _regions(agreements, count: int):
    regions = [RegionFactory() for _ in range(count)]
    for region in regions:
        for agreement in agreements:
            AgreementStatusFactory(region=region, agreement=agreement)
    return regions


@pytest.fixture
def regions(agreements):
    return _regions(agreements, 3)


@pytest.fixture
def adviseur(make_user, regions):
    return make_user(Role.REGIO_ADVISEUR, regions[:2])


def _client(client, user):
    client.force_login(user)
    return client


def _export_xlsx(client) -> bytes:
    response = client.get(reverse("agreements:status_export", args=["xlsx"]))
    assert response.status_code == 200
    return response.content


def _edit(xlsx: bytes, edits: dict[tuple[int, int], object]) -> bytes:
    """Change cells (1-based row, column) of an exported workbook, as a user would in Excel."""
    workbook = load_workbook(io.BytesIO(xlsx))
    for (row, column), value in edits.items():
        workbook.active.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, data: bytes, name: str = "stand.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("agreements:status_import"), {"file": upload})


def _state():
    return sorted(AgreementStatus.objects.values_list("region_id", "agreement__number", "status", "version"))


def _status(region, number) -> AgreementStatus:
    return AgreementStatus.objects.get(region=region, agreement__number=number)


# --- Export ---


def test_export_xlsx_has_one_row_per_region_and_the_dutch_status_labels(client, make_user, regions):
    AgreementStatus.objects.filter(region=regions[0], agreement__number=2).update(status=Status.IN_UITVOERING)
    client = _client(client, make_user(Role.REGIO_GEBRUIKER))
    response = client.get(reverse("agreements:status_export", args=["xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Code",
        "Regio",
        "Centrumgemeente",
        *(f"Afspraak {n} – Titel {n}" for n in range(1, 9)),
        "Score",
        *(f"Afstemming {n}" for n in range(1, 9)),
        "Afgestemd",
    )
    assert [row[0] for row in rows[1:]] == [r.code for r in sorted(regions, key=lambda r: r.name)]
    first = next(row for row in rows if row[0] == regions[0].code)
    assert first[1:5] == (regions[0].name, regions[0].centrumgemeente.name, "Onbekend", "In uitvoering")
    assert first[11] == 3  # the dashboard's score: the sum of the statuses
    assert first[12:] == ("Nog niet gevraagd",) * 8 + ("0 van 8",)


def test_export_csv_is_utf8_with_bom_and_semicolons(client, make_user, regions):
    client = _client(client, make_user(Role.VNG_MEDEWERKER))
    body = client.get(reverse("agreements:status_export", args=["csv"])).content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Code", "Regio", "Centrumgemeente", "Afspraak 1 – Titel 1"]
    assert len(rows) == 1 + len(regions)


def test_export_needs_a_role(client, make_user, regions):
    assert client.get(reverse("agreements:status_export", args=["csv"])).status_code == 302  # to the login page
    assert _client(client, make_user(None)).get(reverse("agreements:status_export", args=["csv"])).status_code == 403


# --- Import ---


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.REGIO_ADVISEUR])
def test_round_trip_export_then_import_shows_no_changes(client, make_user, regions, role):
    client = _client(client, make_user(role, regions[:1]))
    response = _upload(client, _export_xlsx(client))
    assert response.status_code == 200
    assert "Geen wijzigingen" in response.content.decode()
    plan = response.context["plan"]
    assert (plan.changes, plan.rejected, plan.unchanged_rows) == ([], [], len(regions))


def test_import_applies_after_confirmation_as_the_uploader(client, adviseur, regions):
    client = _client(client, adviseur)
    own = sorted(regions[:2], key=lambda r: r.name)
    row = 2 + sorted(regions, key=lambda r: r.name).index(own[0])
    data = _edit(_export_xlsx(client), {(row, 4): "In voorbereiding", (row, 6): "niet gestart"})

    preview = _upload(client, data)
    html = preview.content.decode()
    assert "Voorvertoning import" in html and "In voorbereiding" in html
    assert [(c.region, c.agreement, c.old_label, c.new_label) for c in preview.context["plan"].changes] == [
        (own[0].name, 1, "Onbekend", "In voorbereiding"),
        (own[0].name, 3, "Onbekend", "Niet gestart"),
    ]
    assert StatusChange.objects.count() == 0  # the preview writes nothing

    response = client.post(reverse("agreements:status_import_confirm"), {"token": preview.context["token"]}, follow=True)
    assert "Import opgeslagen: 2 status(sen) gewijzigd." in response.content.decode()
    assert (_status(own[0], 1).status, _status(own[0], 3).status) == (Status.IN_VOORBEREIDING, Status.NIET_GESTART)
    changes = StatusChange.objects.all()
    assert {(c.changed_by, c.old_status, c.new_status) for c in changes} == {
        (adviseur, Status.ONBEKEND, Status.IN_VOORBEREIDING),
        (adviseur, Status.ONBEKEND, Status.NIET_GESTART),
    }
    # Confirming the same preview twice does nothing more.
    again = client.post(reverse("agreements:status_import_confirm"), {"token": preview.context["token"]}, follow=True)
    assert "verlopen" in again.content.decode()
    assert StatusChange.objects.count() == 2


def test_import_keeps_criteria_explanation_and_links(client, make_user, regions):
    beheerder = make_user(Role.BEHEERDER)
    target = _status(regions[0], 1)
    criteria = list(target.agreement.criteria.all())
    status_update(
        agreement_status=target,
        expected_version=1,
        user=beheerder,
        status=Status.IN_UITVOERING,
        criteria_met=criteria,
        explanation="Toelichting",
        evidence_links=["https://example.org/a"],
    )
    client = _client(client, beheerder)
    row = 2 + sorted(regions, key=lambda r: r.name).index(regions[0])
    preview = _upload(client, _edit(_export_xlsx(client), {(row, 4): "Gerealiseerd"}))
    client.post(reverse("agreements:status_import_confirm"), {"token": preview.context["token"]})
    target.refresh_from_db()
    assert (target.status, target.explanation, target.evidence_links) == (Status.GEREALISEERD, "Toelichting", ["https://example.org/a"])
    assert set(target.criteria_met.all()) == set(criteria)


def _damaged(xlsx: bytes, part: str, content: bytes | None) -> bytes:
    """The workbook with one of its zip members replaced by `content` (or left out when None)."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename.endswith(part):
                if content is not None:
                    target.writestr(item, content)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def _sheet(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda xlsx: b"Code;Regio\nX;Y\n", "kan niet worden gelezen als Excel-bestand"),
        (lambda xlsx: xlsx[: len(xlsx) // 2], "kan niet worden gelezen als Excel-bestand"),
        (lambda xlsx: _damaged(xlsx, "sheet1.xml", b"<worksheet><sheetData><row"), "kan niet worden gelezen"),
        (lambda xlsx: _damaged(xlsx, "sheet1.xml", None), "kan niet worden gelezen als Excel-bestand"),
        (lambda xlsx: _damaged(xlsx, "workbook.xml", b"garbage"), "kan niet worden gelezen als Excel-bestand"),
        (lambda xlsx: _sheet([["Regio", "Status"], ["Utrecht", "Gerealiseerd"]]), "de kolom 'Code' ontbreekt"),
        (lambda xlsx: _sheet([["Code", "Afspraak 1", "Afspraak 9"]]), "'Afspraak 9' hoort bij geen bekende afspraak"),
        (lambda xlsx: _sheet([["Code", *(f"Afspraak {n}" for n in range(1, 9))]]), "bevat geen regio's"),
        (lambda xlsx: _sheet([]), "Het bestand is leeg"),
        (lambda xlsx: b"PK" + b"x" * (2 * 1024 * 1024), "te groot"),
    ],
    ids=[
        "csv",
        "truncated",
        "broken-sheet-xml",
        "missing-sheet",
        "broken-workbook-xml",
        "wrong-layout",
        "unknown-agreement",
        "no-rows",
        "empty",
        "too-large",
    ],
)
def test_a_broken_file_is_refused_with_a_clear_message_and_changes_nothing(client, adviseur, make_file, message):
    client = _client(client, adviseur)
    before = _state()
    response = _upload(client, make_file(_export_xlsx(client)))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "Voorvertoning import" not in response.content.decode()
    assert _state() == before


def test_rejected_rows_are_listed_with_reasons_and_never_applied(client, adviseur, regions):
    own, other = regions[0], regions[2]
    ordered = sorted(regions, key=lambda r: r.name)
    row_of = {r.pk: 2 + ordered.index(r) for r in regions}
    client = _client(client, adviseur)
    data = _edit(
        _export_xlsx(client),
        {
            (row_of[own.pk], 4): "Bijna klaar",  # unknown status label
            (row_of[own.pk], 5): "Gerealiseerd",  # criteria not ticked
            (row_of[other.pk], 4): "In uitvoering",  # a region the adviseur does not work for
            (row_of[regions[1].pk], 1): "ZZ99",  # unknown region code
        },
    )
    before = _state()
    preview = _upload(client, data)
    plan = preview.context["plan"]
    reasons = {row.region: " ".join(row.reasons) for row in plan.rejected}
    assert "onbekende status 'Bijna klaar'" in reasons[own.name]
    assert "Afspraak 2: Gerealiseerd kan pas als alle minimumcriteria zijn aangevinkt" in reasons[own.name]
    assert "U mag de statussen van deze regio niet wijzigen." in reasons[other.name]
    assert "Onbekende regiocode 'ZZ99'." in reasons["ZZ99"]
    assert plan.changes == []
    html = preview.content.decode()
    assert "Afgewezen regels (3)" in html and "Bevestigen" not in html
    assert _state() == before


def test_the_preview_quotes_long_cell_values_truncated(client, adviseur, regions):
    client = _client(client, adviseur)
    own_row = 2 + sorted(regions, key=lambda r: r.name).index(regions[0])
    other_row = 2 + sorted(regions, key=lambda r: r.name).index(regions[1])
    data = _edit(_export_xlsx(client), {(own_row, 4): "Q" * 5000, (other_row, 1): "Z" * 5000})
    html = _upload(client, data).content.decode()
    assert "Q" * 40 + "…" in html and "Q" * 41 not in html
    assert "Z" * 40 + "…" in html and "Z" * 41 not in html


def test_a_change_made_after_the_preview_refuses_the_whole_import(client, make_user, regions):
    beheerder = make_user(Role.BEHEERDER)
    client = _client(client, beheerder)
    ordered = sorted(regions, key=lambda r: r.name)
    data = _edit(_export_xlsx(client), {(2, 4): "Niet gestart", (3, 4): "Niet gestart"})
    preview = _upload(client, data)
    assert len(preview.context["plan"].changes) == 2
    someone = _status(ordered[1], 1)
    status_update(
        agreement_status=someone,
        expected_version=1,
        user=beheerder,
        status=Status.IN_UITVOERING,
        criteria_met=[],
        explanation="Tussendoor",
        evidence_links=[],
    )
    before = _state()

    response = client.post(reverse("agreements:status_import_confirm"), {"token": preview.context["token"]}, follow=True)

    assert "is gewijzigd sinds de voorvertoning. Er is niets opgeslagen" in response.content.decode()
    assert _state() == before
    assert _status(ordered[0], 1).status == Status.ONBEKEND


@pytest.mark.parametrize("role", [Role.VNG_MEDEWERKER, Role.REGIO_GEBRUIKER, None])
def test_only_beheerders_and_adviseurs_may_import(client, make_user, regions, role):
    client = _client(client, make_user(role, regions))
    assert client.get(reverse("agreements:status_import")).status_code == 403
    assert client.post(reverse("agreements:status_import_confirm"), {"token": "x"}).status_code == 403


def test_import_preview_runs_a_fixed_number_of_queries(client, make_user, agreements, django_assert_max_num_queries):
    _regions(agreements, 2)
    client = _client(client, make_user(Role.BEHEERDER))
    small = _export_xlsx(client)
    with django_assert_max_num_queries(20) as few:
        _upload(client, small)
    small_count = len(few.captured_queries)  # read now: the next request resets the query log
    _regions(agreements, 20)
    large = _export_xlsx(client)
    with django_assert_max_num_queries(small_count):
        response = _upload(client, large)
    assert response.context["plan"].unchanged_rows == 22


def test_export_runs_a_fixed_number_of_queries(client, make_user, agreements, django_assert_max_num_queries):
    _regions(agreements, 2)
    client = _client(client, make_user(Role.BEHEERDER))
    with django_assert_max_num_queries(12) as few:
        _export_xlsx(client)
    _regions(agreements, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _export_xlsx(client)


# --- Region history CSV ---


def test_region_history_csv_lists_every_change_newest_first(client, make_user, regions):
    adviseur = make_user(Role.REGIO_ADVISEUR, regions[:1], first_name="Anna", last_name="de Vries")
    target = _status(regions[0], 1)
    status_update(
        agreement_status=target,
        expected_version=1,
        user=adviseur,
        status=Status.NIET_GESTART,
        criteria_met=[],
        explanation="=SOM(A1)",
        evidence_links=[],
    )
    status_update(
        agreement_status=target,
        expected_version=2,
        user=adviseur,
        status=Status.IN_UITVOERING,
        criteria_met=[],
        explanation="Gestart",
        evidence_links=[],
    )
    _status(regions[1], 1)  # another region's history stays out
    client = _client(client, make_user(Role.REGIO_GEBRUIKER))

    response = client.get(reverse("agreements:region_history_csv", args=[regions[0].slug]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Datum", "Tijd", "Afspraak", "Oude status", "Nieuwe status"]
    assert [(r[2], r[3], r[4], r[8], r[9], r[10]) for r in rows[1:]] == [
        ("1", "Niet gestart", "In uitvoering", "Gestart", "Anna de Vries", "3"),
        ("1", "Onbekend", "Niet gestart", "'=SOM(A1)", "Anna de Vries", "2"),
    ]
    assert len(rows[1][0]) == 10 and rows[1][0][4] == "-"  # ISO date
    assert client.get(reverse("agreements:region_history_csv", args=["bestaat-niet"])).status_code == 404
