import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from accounts.oidc import signed_in_with_organisation_account
from accounts.roles import is_vng_or_beheerder


class TwoFactorRequiredMiddleware:
    """With TWO_FACTOR_REQUIRED, Beheerders and VNG-medewerkers use the app only after a TOTP check.

    Without a device they are sent to set one up; with one (signed in some other way) back to the login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    API_REFUSAL = "Tweestapsverificatie is verplicht voor uw rol. Log in de browser in met uw verificatiecode, of gebruik een API-token."

    def __call__(self, request):
        if settings.TWO_FACTOR_REQUIRED and self._needs_verification(request):
            if request.path.startswith(reverse("api:api-root")):
                return JsonResponse({"detail": self.API_REFUSAL}, status=403)  # a program cannot follow a login page
            if not user_has_device(request.user):
                return redirect("two_factor:setup")
            return redirect(f"{reverse('login')}?next={request.path}")
        return self.get_response(request)

    def _needs_verification(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified() or not is_vng_or_beheerder(user):
            return False
        if settings.OIDC_MFA_SATISFIES_TWO_FACTOR and signed_in_with_organisation_account(request):
            return False  # the organisation's provider asked for the second factor (README: OIDC)
        free = [
            reverse("logout"),
            reverse("login"),
            reverse("two_factor:setup"),
            reverse("two_factor:qr"),
            reverse("operations:healthz"),
            settings.STATIC_URL,
        ]
        return not any(request.path.startswith(prefix if prefix.startswith("/") else f"/{prefix}") for prefix in free)


class SessionRenewalMiddleware:
    """Renew a session's expiry (SESSION_COOKIE_AGE after the last request) at most once a minute.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) wrote its row and flushed a commit to disk
    on every page view, which cost more than rendering the dashboard. A session now ends between
    SESSION_COOKIE_AGE minus RENEW_AFTER_SECONDS and SESSION_COOKIE_AGE after the last request; the edit pages
    warn five minutes ahead. Anonymous requests without a session cookie are not touched.
    """

    RENEW_AFTER_SECONDS = 60
    RENEWED_AT = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.accessed and not session.is_empty():
            if time.time() - session.get(self.RENEWED_AT, 0) >= self.RENEW_AFTER_SECONDS:
                self.stamp(request)
        return response

    @classmethod
    def stamp(cls, request, **kwargs):
        """Mark the session renewed now; also on sign-in (user_logged_in), which saves the session anyway."""
        request.session[cls.RENEWED_AT] = int(time.time())
