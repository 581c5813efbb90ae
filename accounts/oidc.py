"""Sign-in with the organisation's account: OpenID Connect through mozilla-django-oidc.

Off unless OIDC_RP_CLIENT_ID is set. Only an existing, active account whose e-mail address matches the
provider's `email` claim signs in (no self-registration); roles and regions stay in this app. The provider's
endpoints come from the settings or from its discovery document (OIDC_OP_DISCOVERY_URL), fetched once an hour.
"""

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

BACKEND_PATH = "accounts.oidc.OrganisationAccountBackend"
DISCOVERY_CACHE_SECONDS = 60 * 60
# Setting name → key in the provider's discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
NO_ACCOUNT_MESSAGE = (
    "Er is geen actief account met het e-mailadres van uw organisatieaccount. Vraag een beheerder om u uit te "
    "nodigen, of log in met uw gebruikersnaam en wachtwoord."
)
FAILED_MESSAGE = "Inloggen met uw organisatieaccount is niet gelukt. Probeer het opnieuw of log in met uw wachtwoord."


def _discovery() -> dict:
    url = settings.OIDC_OP_DISCOVERY_URL
    key = f"oidc-discovery:{url}"
    document = cache.get(key)
    if document is None:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def oidc_setting(attr, *default):
    """A mozilla-django-oidc setting; an endpoint left empty is read from the discovery document."""
    value = import_from_settings(attr, *default)
    if attr in DISCOVERED and not value:
        if not settings.OIDC_OP_DISCOVERY_URL:
            raise ImproperlyConfigured(f"Set {attr} or OIDC_OP_DISCOVERY_URL.")
        return _discovery()[DISCOVERED[attr]]
    return value


def signed_in_with_organisation_account(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND_PATH


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """Finds the one active account with the provider's e-mail address; never creates one."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every password sign-in too; the provider is only asked when enabled.
        self.UserModel = get_user_model()
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            users = self.UserModel.objects.none()
        else:
            users = self.UserModel.objects.filter(email__iexact=email, is_active=True)
        if not users:
            self.request.oidc_refusal = NO_ACCOUNT_MESSAGE
        return users

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class _EnabledOnly:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Inloggen met een organisatieaccount staat uit.")
        return super().dispatch(request, *args, **kwargs)


class OrganisationLoginView(_EnabledOnly, OIDCAuthenticationRequestView):
    """Sends the browser to the provider ("Inloggen met uw organisatieaccount")."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The parent reads the provider's endpoints here; with the feature off there is nothing to read.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class OrganisationCallbackView(_EnabledOnly, OIDCAuthenticationCallbackView):
    """The provider's answer: signed in, or back to the login page with the reason in Dutch."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException:  # the provider did not answer or refused the code
            return self.login_failure()

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "oidc_refusal", FAILED_MESSAGE))
        return super().login_failure()
