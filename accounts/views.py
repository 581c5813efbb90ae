from django.conf import settings
from two_factor.views import LoginView as TwoFactorLoginView

from accounts.forms import LoginForm


class LoginView(TwoFactorLoginView):
    """Password, then (for accounts with a TOTP device) the token; django-axes locks out repeated failures."""

    template_name = "registration/login.html"
    form_list = ((TwoFactorLoginView.AUTH_STEP, LoginForm), *TwoFactorLoginView.form_list[1:])

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["two_factor_required"] = settings.TWO_FACTOR_REQUIRED
        return context
