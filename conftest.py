"""Fixtures shared by every app's tests."""

import io

import pytest
from django.core.management import call_command

from accounts.roles import Role
from accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Production serves hashed files from `collectstatic`'s manifest; tests read `static/` directly."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def reference_data(db):
    """The shipped reference data: 44 regions with their municipalities and the 8 agreements."""
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def make_user(db):
    def make(role: Role | None = None, regions=(), **fields):
        return UserFactory(role=role, regions=list(regions), **fields)

    return make
