"""Property-based tests: arbitrary unicode, NUL bytes and huge inputs get a Dutch refusal, never a 500 or half a write."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from agreements.models import AgreementStatus, Criterion, StatusChange
from agreements.services import status_update
from core.errors import ApplicationError
from regions.division import DIVISION_FILE, division_load_reference, division_rows_from_csv
from regions.models import Membership, Municipality, Region

hypothesis_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
texts = st.one_of(
    st.text(max_size=200),
    st.text(min_size=1, max_size=20).map(lambda s: s * 50_000),  # huge
    st.sampled_from(["\x00", "a\x00b", "\u202e", "😀" * 1000, "' OR 1=1 --", "<script>alert(1)</script>"]),
)


@pytest.fixture
def editable_status(reference_data, make_user):
    agreement_status = AgreementStatus.objects.select_related("region", "agreement").first()
    return agreement_status, make_user(Role.REGIO_ADVISEUR, [agreement_status.region])


@hypothesis_settings
@given(data=st.data(), explanation=texts, links=st.lists(texts, max_size=3), status=st.integers(-3, 8))
@example(data=None, explanation="toelichting met NUL \x00", links=[], status=2)
def test_status_update_refuses_bad_input_cleanly(editable_status, data, explanation, links, status):
    agreement_status, user = editable_status
    criteria_ids = list(Criterion.objects.values_list("pk", flat=True))
    chosen = data.draw(st.lists(st.sampled_from(criteria_ids), max_size=5)) if data else []
    before = AgreementStatus.objects.get(pk=agreement_status.pk)
    history = StatusChange.objects.count()
    try:
        change = status_update(
            agreement_status=before,
            expected_version=before.version,
            user=user,
            status=status,
            criteria_met=Criterion.objects.filter(pk__in=chosen),
            explanation=explanation,
            evidence_links=links,
        )
    except (ValidationError, ApplicationError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [error.message]
        assert all(isinstance(message, str) and message for message in messages)
        after = AgreementStatus.objects.get(pk=agreement_status.pk)
        assert (after.version, after.status, after.explanation) == (before.version, before.status, before.explanation)
        assert StatusChange.objects.count() == history
        return
    after = AgreementStatus.objects.get(pk=agreement_status.pk)
    if change is None:
        assert after.version == before.version
    else:
        assert after.version == before.version + 1 and after.explanation == explanation.strip()
        assert StatusChange.objects.count() == history + 1


@hypothesis_settings
@given(text=texts)
def test_division_csv_parser_never_crashes(text):
    try:
        rows = division_rows_from_csv(text)
    except ApplicationError as error:
        assert error.message
        return
    assert isinstance(rows, list)


def _division_state():
    return (
        list(Region.objects.order_by("code").values_list("code", "name", "slug")),
        list(Municipality.objects.order_by("cbs_code").values_list("cbs_code", "name", "region__code", "is_centrumgemeente")),
        list(Membership.objects.order_by("id").values_list("municipality_id", "region_id", "valid_from", "valid_until")),
    )


@hypothesis_settings
@given(data=st.data(), value=texts)
def test_division_load_is_all_or_nothing_with_arbitrary_values(reference_data, data, value):
    records = list(csv.reader(line for line in DIVISION_FILE.read_text().splitlines() if not line.startswith("#")))
    header, body = records[0], records[1:]
    row = data.draw(st.integers(0, len(body) - 1))
    column = data.draw(st.integers(0, len(header) - 1))
    body[row][column] = value
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    before = _division_state()
    try:
        division_load_reference(rows=division_rows_from_csv(out.getvalue(), dated=True))
    except ApplicationError as error:
        assert error.message
        assert _division_state() == before


@pytest.mark.django_db
@hypothesis_settings
@given(username=texts, password=texts)
def test_login_form_answers_any_input_without_error(username, password):
    response = Client().post("/inloggen/", {"login_view-current_step": "auth", "auth-username": username, "auth-password": password})
    # 413: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE gets the Dutch error page; 400: a NUL character.
    assert response.status_code in (200, 400, 413, 429)
