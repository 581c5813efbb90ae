"""Schema-driven fuzzing: malformed requests to every operation in the OpenAPI schema never get a 5xx."""

import json
from urllib.parse import quote

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.roles import Role
from agreements.tests.factories import AgreementStatusFactory
from regions.tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [(path, method, operation) for path, item in SCHEMA["paths"].items() for method, operation in item.items()]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
scalars = st.text(max_size=30) | st.integers().map(str) | st.sampled_from(["", "0", "-1", "1", "4", "5", "null"])


def _body_fields(operation) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    component = SCHEMA["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return list(component.get("properties", {}))


@pytest.fixture
def beheerder_client(make_user):
    client = APIClient()
    client.force_login(make_user(Role.BEHEERDER))
    return client


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_malformed_requests_never_get_a_server_error(beheerder_client, path, method, operation, data):
    agreement_status = AgreementStatusFactory()
    ContactPersonFactory(region=agreement_status.region)
    valid = {
        "id": [agreement_status.pk, agreement_status.pk + 10_000],
        "slug": [agreement_status.region.slug],
        "number": [agreement_status.agreement.number, 0, 9],
    }
    url = path
    for parameter in (p for p in operation.get("parameters", []) if p["in"] == "path"):
        name = parameter["name"]
        value = data.draw(st.sampled_from(valid[name]).map(str) | scalars, label=name)
        url = url.replace("{" + name + "}", quote(value, safe="") or "x")
    query_names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    query = data.draw(st.dictionaries(st.sampled_from([*query_names, "junk"]), scalars, max_size=4), label="query")

    if method == "get":
        response = beheerder_client.get(url, query)
    else:
        fields = _body_fields(operation)
        body = data.draw(
            st.fixed_dictionaries({}, optional={name: json_values for name in fields})
            | st.fixed_dictionaries(
                {"version": st.just(agreement_status.version)},
                optional={name: json_values | scalars for name in fields if name != "version"},
            )
            | json_values,
            label="body",
        )
        raw = data.draw(st.booleans(), label="raw") and data.draw(st.binary(max_size=40), label="bytes")
        payload = raw if raw else json.dumps(body)
        query_string = "&".join(f"{key}={quote(value)}" for key, value in query.items())
        send = getattr(beheerder_client, method)
        response = send(f"{url}?{query_string}", payload, content_type="application/json")
    assert response.status_code < 500, (method, url, query, response.content[:500])
