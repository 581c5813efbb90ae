import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from agreements.models import Agreement
from agreements.services import statuses_ensure_all
from core.dates import months_earlier
from dashboard.models import DashboardSnapshot
from dashboard.services import dashboard_rebuild
from regions.models import Region
from regions.tests.factories import ContactPersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

HEADERS = ("Code", "Regio", "Centrumgemeente")


def _export(client, extension: str, month) -> bytes:
    response = client.get(reverse("dashboard:export", args=[extension]), {"maand": f"{month:%Y-%m}"})
    assert response.status_code == 200
    assert f'filename="nvo-dashboard-{month:%Y-%m}.{extension}"' in response["Content-Disposition"]
    return response.content


def _xlsx_rows(body: bytes, sheet: int = 0) -> list[tuple]:
    return list(load_workbook(io.BytesIO(body)).worksheets[sheet].iter_rows(values_only=True))


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_xlsx_of_a_past_month_holds_that_months_statuses_scores_and_peildatum(built, make_user, client, this_month):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    previous = months_earlier(this_month, 1)
    rows = _xlsx_rows(_export(client, "xlsx", previous))
    assert rows[0][:3] == HEADERS and rows[0][3].startswith("Afspraak 1 – ")
    agreements = Agreement.objects.count()
    assert rows[0][3 + agreements : 6 + agreements] == ("Score", "Netwerk (bijeenkomsten bijgewoond, 12 maanden)", "Achterblijver (reden)")
    assert rows[0][6 + agreements :] == (*(f"Afstemming {n}" for n in range(1, agreements + 1)), "Afgestemd")
    assert len(rows) == 1 + Region.objects.count()
    zeeland = next(row for row in rows if row[1] == "Zeeland")
    assert zeeland[3:11] == ("Onbekend",) * 8 and zeeland[11] == 0  # before Zeeland realised agreement 3
    current = _xlsx_rows(_export(client, "xlsx", this_month))
    zeeland = next(row for row in current if row[1] == "Zeeland")
    assert zeeland[5] == "Gerealiseerd" and zeeland[11] == 4  # the dashboard's score: the sum of the statuses
    assert zeeland[12] == "geen bijeenkomsten"
    snapshot_row = DashboardSnapshot.objects.get(month=this_month).regions.get(region__name="Zeeland")
    assert zeeland[13] == (snapshot_row.lagging_reason or None)
    assert zeeland[14:] == ("Nog niet gevraagd",) * 8 + ("0 van 8",)  # frozen with the month
    about = dict(_xlsx_rows(_export(client, "xlsx", previous), sheet=1))
    snapshot_peildatum = timezone.localtime(DashboardSnapshot.objects.get(month=previous).peildatum)
    assert isinstance(about["Peildatum"], datetime)
    assert about["Peildatum"] == snapshot_peildatum.replace(tzinfo=None)
    assert isinstance(about["Laatst ververst"], datetime)


def test_the_csv_of_a_past_month_is_utf8_with_bom_and_the_same_table(built, make_user, client, this_month):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    rows = _csv_rows(_export(client, "csv", this_month))
    assert tuple(rows[0][:3]) == HEADERS and len(rows) == 1 + Region.objects.count()
    zeeland = next(row for row in rows if row[1] == "Zeeland")
    assert zeeland[5] == "Gerealiseerd" and zeeland[11] == "4" and rows[0][12].startswith("Netwerk")
    previous = _csv_rows(_export(client, "csv", months_earlier(this_month, 1)))
    assert next(row for row in previous if row[1] == "Zeeland")[5] == "Onbekend"


def test_the_export_of_the_current_month_imports_as_no_changes(built, make_user, client, this_month):
    client.force_login(make_user(Role.BEHEERDER))
    upload = io.BytesIO(_export(client, "xlsx", this_month))
    upload.name = "dashboard.xlsx"
    response = client.post(reverse("agreements:status_import"), {"file": upload})
    assert response.status_code == 200
    assert "Geen wijzigingen" in response.content.decode()
    plan = response.context["plan"]
    assert (plan.changes, plan.rejected, plan.unchanged_rows) == ([], [], Region.objects.count())


def test_no_personal_data_of_contacts_in_either_export(built, make_user, client, this_month):
    contact = ContactPersonFactory(region=built.regions.first().region, name="Jantje Geheim", email="jantje@example.nl", phone="0612345678")
    client.force_login(make_user(Role.BEHEERDER))
    csv_body = _export(client, "csv", this_month).decode("utf-8-sig")
    xlsx_text = repr(_xlsx_rows(_export(client, "xlsx", this_month)) + _xlsx_rows(_export(client, "xlsx", this_month), 1))
    for secret in (contact.name, contact.email, contact.phone):
        assert secret not in csv_body and secret not in xlsx_text


def test_the_export_answers_a_dutch_message_without_snapshot_and_needs_a_role(built, make_user, client):
    assert client.get(reverse("dashboard:export", args=["csv"]))["Location"].startswith("/inloggen/")
    client.force_login(make_user(None))
    assert client.get(reverse("dashboard:export", args=["csv"])).status_code == 403
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    response = client.get(reverse("dashboard:export", args=["xlsx"]), {"maand": "2019-01"})
    assert response.status_code == 404 and "geen dashboard gebouwd" in response.content.decode()
    assert client.get(reverse("dashboard:export", args=["csv"]), {"maand": "2026-13"}).status_code == 400


def test_the_dashboard_links_both_exports_of_the_month_shown(built, make_user, client, this_month):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    previous = f"{months_earlier(this_month, 1):%Y-%m}"
    page = client.get("/dashboard/", {"maand": previous}).content.decode()
    for extension in ("xlsx", "csv"):
        assert f'href="{reverse("dashboard:export", args=[extension])}?maand={previous}"' in page


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_export_runs_a_fixed_number_of_queries(built, make_user, client, this_month, extension, django_assert_max_num_queries):
    client.force_login(make_user(Role.BEHEERDER))
    RegionFactory.create_batch(30)
    statuses_ensure_all()
    dashboard_rebuild(month=this_month)
    with django_assert_max_num_queries(12):
        rows = _export(client, extension, this_month)
    total = Region.objects.count()
    assert (rows.decode("utf-8-sig").count("\r\n") == 1 + total) if extension == "csv" else len(_xlsx_rows(rows)) == 1 + total
