"""A server error leaves a trace: a log line on stderr with path and request id, and optionally a mail (issue 18)."""

import io
import logging

import pytest
from django.core import mail
from django.test import Client

from operations.request_log import REQUEST_ID_PATTERN

pytestmark = [pytest.mark.urls("operations.tests.urls_failing"), pytest.mark.django_db]

PERSONAL = {"naam": "Jan Jansen", "email": "jan.jansen@example.org", "telefoon": "0612345678"}


def _fail(**headers):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "geheime-sessie-123"
    return client.post("/kapot/?zoek=Jan+Jansen", PERSONAL, **headers)


@pytest.fixture
def stderr():
    """What the settings' stderr handler writes (pytest replaced sys.stderr before it was configured)."""
    [handler] = [handler for handler in logging.getLogger().handlers if handler.get_name() == "stderr"]
    written = io.StringIO()
    original = handler.setStream(written)
    yield written
    handler.setStream(original)


def test_a_server_error_is_logged_to_stderr_with_path_and_request_id_and_no_personal_data(stderr):
    response = _fail()
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert REQUEST_ID_PATTERN.fullmatch(request_id)
    err = stderr.getvalue()
    [line] = [line for line in err.splitlines() if "ERROR django.request" in line]
    assert f"[request {request_id} /kapot/] Internal Server Error: /kapot/" in line
    assert "RuntimeError: kapot bij het verwerken" in err  # the traceback follows
    for value in (*PERSONAL.values(), "Jan+Jansen", "zoek=", "geheime-sessie-123"):
        assert value not in err


def test_the_request_id_from_the_proxy_is_kept_when_it_is_plain_and_at_most_64_characters(stderr):
    assert _fail(headers={"X-Request-ID": "a" * 64})["X-Request-ID"] == "a" * 64
    assert f"[request {'a' * 64} /kapot/]" in stderr.getvalue()
    for offered in ("a" * 65, "regel\nERROR vervalst", "<script>"):
        own = _fail(headers={"X-Request-ID": offered})["X-Request-ID"]
        assert own != offered and REQUEST_ID_PATTERN.fullmatch(own)


def test_admins_get_a_mail_with_path_and_request_id_but_no_personal_data(settings):
    settings.ADMINS = [("", "beheer@example.org")]
    response = _fail()
    [message] = mail.outbox
    assert message.to == ["beheer@example.org"]
    assert "/kapot/" in message.subject
    assert f"Request id: {response['X-Request-ID']}" in message.body and "Path: /kapot/" in message.body
    assert "RuntimeError" in message.body
    for value in (*PERSONAL.values(), "Jan+Jansen", "geheime-sessie-123"):
        assert value not in message.body, value
    assert message.alternatives == []  # no HTML page with the request attached


def test_without_admins_no_mail_is_sent(settings):
    settings.ADMINS = []
    _fail()
    assert mail.outbox == []


@pytest.mark.urls("nvo_tracker.urls")
def test_a_failed_sign_in_logs_no_username_or_address(stderr, client):
    response = client.post(
        "/inloggen/",
        {"login_view-current_step": "auth", "auth-username": "jan.jansen", "auth-password": "verkeerd-wachtwoord"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 200
    assert "jan.jansen" not in stderr.getvalue() and "198.51.100.7" not in stderr.getvalue()
