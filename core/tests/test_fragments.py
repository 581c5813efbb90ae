import pytest
from django.db import transaction

from core.audit import audit_record
from core.fragments import data_version, fragments_html
from core.models import AuditEvent


def _change(description: str = "Regio A") -> None:
    audit_record(kind=AuditEvent.Kind.DATA_CHANGE, description=description, action="gewijzigd", old={"a": 1}, new={"a": 2})


@pytest.mark.django_db(transaction=True)
def test_the_data_version_moves_when_a_transaction_that_changed_data_commits():
    before = data_version()
    with transaction.atomic():
        _change("Regio A")
        _change("Regio B")
        assert data_version() == before, "deferred to the commit: no reader sees the number before the data"
    assert data_version() == before + 2
    _change()
    assert data_version() == before + 3


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_and_other_audit_events_leave_the_data_version_alone():
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        _change()
        raise RuntimeError("afgebroken")
    audit_record(kind=AuditEvent.Kind.LOGIN, username="iemand", description="aanmelding")
    audit_record(kind=AuditEvent.Kind.ACCESS_DENIED, username="iemand", description="GET /gebruikers/")
    assert data_version() == before


@pytest.mark.django_db(transaction=True)
def test_the_data_version_survives_an_emptied_table():
    """A flush (transactional tests, a restore) empties the counter's table: the next change starts it again."""
    from core.models import DataVersion

    DataVersion.objects.all().delete()
    assert data_version() == 0
    _change()
    assert data_version() == 1


def test_inside_a_test_transaction_the_version_moves_at_once(db):
    before = data_version()
    _change()
    _change()
    assert data_version() == before + 2


def test_fragments_are_rendered_once_per_key_and_read_together():
    calls = []

    def render(text):
        def inner():
            calls.append(text)
            return f"<p>{text}</p>"

        return inner

    first = fragments_html({"a": ("test-fragment:a:1", render("a1")), "b": ("test-fragment:b:1", render("b1"))})
    again = fragments_html({"a": ("test-fragment:a:1", render("anders")), "b": ("test-fragment:b:2", render("b2"))})
    assert first == {"a": "<p>a1</p>", "b": "<p>b1</p>"}
    assert again == {"a": "<p>a1</p>", "b": "<p>b2</p>"}, "a new key (a new version) renders again"
    assert calls == ["a1", "b1", "b2"]
