"""The OpenAPI schema and its offline documentation page."""

import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.roles import Role

pytestmark = pytest.mark.django_db

EVERY_OPERATION = {
    ("/api/regions/", "get"),
    ("/api/regions/{slug}/", "get"),
    ("/api/agreements/", "get"),
    ("/api/agreements/{number}/", "get"),
    ("/api/statuses/", "get"),
    ("/api/statuses/{id}/", "get"),
    ("/api/statuses/{id}/", "put"),
    ("/api/statuses/{id}/", "patch"),
    ("/api/contacts/", "get"),
    ("/api/contacts/{id}/", "get"),
    ("/api/snapshots/", "get"),
    ("/api/snapshots/{id}/", "get"),
}


def test_schema_generates_without_warnings_validates_and_lists_every_endpoint(tmp_path):
    out = tmp_path / "schema.json"
    # --fail-on-warn turns any warning of drf-spectacular into an error; --validate checks it against OpenAPI 3.
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file", str(out))
    schema = json.loads(out.read_text())
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert operations == EVERY_OPERATION
    put = schema["paths"]["/api/statuses/{id}/"]["put"]
    assert {"200", "400", "403", "409"} <= set(put["responses"])
    patch = schema["paths"]["/api/statuses/{id}/"]["patch"]
    patch_body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][patch_body]["required"] == ["version"]


def test_schema_and_docs_are_for_signed_in_users_and_load_nothing_from_a_cdn(make_user):
    client = APIClient()
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 401
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "cdn" not in html.lower()
    # No inline script or style: the Content-Security-Policy will forbid them.
    assert "<script>" not in html and "<style" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
