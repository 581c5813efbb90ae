"""Pages with personal data are never kept by a cache; /healthz answers HEAD like GET (monitors send HEAD)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.cache import get_max_age

from accounts.roles import Role
from agreements.models import Status
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import ContactPersonFactory, RegionFactory

BASE_DIR = Path(__file__).resolve().parents[2]
EMAIL = "persoonsgegeven@example.org"


@pytest.fixture
def contact_data(db):
    agreement = AgreementFactory(number=1)
    behind, ahead = RegionFactory(slug="regio-achter"), RegionFactory(slug="regio-voor")
    AgreementStatusFactory(region=behind, agreement=agreement, status=Status.ONBEKEND)
    AgreementStatusFactory(region=ahead, agreement=agreement, status=Status.IN_UITVOERING)
    ContactPersonFactory(region=behind, email="eigen@example.org")
    contact = ContactPersonFactory(region=ahead, email=EMAIL)
    return {"behind": behind, "ahead": ahead, "contact": contact}


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# Every page, file and API answer that shows a contact person's e-mail (the test checks that it really does).
PERSONAL_PAGES = [
    lambda d: f"/regios/{d['ahead'].slug}/",
    lambda d: f"/regios/{d['behind'].slug}/",  # the peers further along, with their contact
    lambda d: f"/regios/{d['ahead'].slug}/contactpersonen/bewerken/",
    lambda d: f"/regios/{d['ahead'].slug}/geschiedenis/",
    lambda d: f"/afspraken/1/verder/?regio={d['behind'].slug}",
    lambda d: "/netwerk/ambtelijk/contactpersonen/",
    lambda d: "/netwerk/ambtelijk/contactpersonen.csv",
    lambda d: "/api/contacts/",
    lambda d: f"/api/contacts/{d['contact'].pk}/",
]


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_pages_with_personal_data_are_private_and_not_stored(client, make_user, contact_data, url):
    client.force_login(make_user(Role.BEHEERDER))
    response = client.get(url(contact_data))
    assert response.status_code == 200
    body = response.content.decode()
    if "geschiedenis" not in url(contact_data):
        assert EMAIL in body or "eigen@example.org" in body
    assert {"private", "no-store"} <= _directives(response)
    assert "public" not in _directives(response) and not get_max_age(response)


def test_the_region_history_csv_is_private_and_not_stored(client, make_user, contact_data):
    client.force_login(make_user(Role.BEHEERDER))
    response = client.get(f"/regios/{contact_data['ahead'].slug}/geschiedenis.csv")
    assert response.status_code == 200 and {"private", "no-store"} <= _directives(response)


def test_healthz_answers_head_like_get_without_a_body(client, db):
    get, head = client.get("/healthz"), client.head("/healthz")
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head["Content-Type"] == "application/json"
    assert client.post("/healthz").status_code == 405


_HEAD_WITH_DATABASE_DOWN = """
import django, json
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client(raise_request_exception=False).head("/healthz")
print(json.dumps([response.status_code, response.content.decode()]))
"""


def test_healthz_head_answers_503_when_the_database_is_down():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nvo_tracker",
        "DJANGO_SETTINGS_MODULE": "nvo_tracker.settings",
        "DEBUG": "false",
    }
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", _HEAD_WITH_DATABASE_DOWN],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [503, ""]
