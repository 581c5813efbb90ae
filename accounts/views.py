"""Sign-in, sign-out, self-service (password, own details) and the Beheerder's user pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from two_factor.views import LoginView as TwoFactorLoginView

from accounts import selectors, services
from accounts.forms import (
    InvitationForm,
    LinkRequestForm,
    LoginForm,
    ProfileForm,
    ResetRequestForm,
    RoleRegionsForm,
    UserFilterForm,
)
from accounts.models import User
from accounts.permissions import permission_required
from accounts.roles import is_beheerder, is_vng_or_beheerder, user_role


class LoginView(TwoFactorLoginView):
    """Password, then (for accounts with a TOTP device) the token; django-axes locks out repeated failures."""

    template_name = "registration/login.html"
    form_list = ((TwoFactorLoginView.AUTH_STEP, LoginForm), *TwoFactorLoginView.form_list[1:])

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["two_factor_required"] = settings.TWO_FACTOR_REQUIRED
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


def _form_errors(form, error: ValidationError) -> None:
    """A refusal from a service becomes messages on the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Self-service -------------------------------------------------------------------------------------------


@require_GET
def logged_out(request):
    return render(request, "accounts/logged_out.html")


class PasswordResetView(auth_views.PasswordResetView):
    """ "Wachtwoord vergeten?": the same answer for known and unknown addresses; at most N requests an hour."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "Wachtwoord vergeten"}

    def form_valid(self, form):
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            "app_name": settings.APP_NAME,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    http_method_names = ["get", "head", "options"]
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_change_audit(user=form.user, how="hersteld via e-mail", request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    http_method_names = ["get", "head", "options"]
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_change_audit(user=form.user, how="gewijzigd", request=self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    http_method_names = ["get", "head", "options"]
    template_name = "accounts/password_change_done.html"


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email})
    if form.is_valid():
        try:
            services.user_profile_update(user=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Uw gegevens zijn opgeslagen.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "role": user_role(user),
            "regions": user.regions.order_by("name"),
        },
    )


# --- Invitations (the invitee) --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvalidLink:
        return render(request, "accounts/invitation_invalid.html")
    form = SetPasswordForm(invitation.user, request.POST or None)
    if form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"], request=request)
        except services.InvalidLink:
            return render(request, "accounts/invitation_invalid.html")
        except ValidationError as error:
            _form_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welkom! Uw wachtwoord is ingesteld en u bent ingelogd.")
            if settings.TWO_FACTOR_REQUIRED and is_vng_or_beheerder(user):
                return redirect("two_factor:setup")
            return redirect("pages:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitee": invitation.user})


@require_http_methods(["GET", "POST"])
def invitation_new_link(request):
    form = LinkRequestForm(request.POST or None)
    if form.is_valid():
        services.invitation_request_new_link(email=form.cleaned_data["email"], request=request)
        messages.success(
            request, "Als er een openstaande uitnodiging voor dit e-mailadres is, ontvangt u binnen enkele minuten een nieuwe link."
        )
        return redirect("accounts:invitation_new_link")
    return render(request, "accounts/invitation_new_link.html", {"form": form, "valid_days": settings.INVITATION_VALID_DAYS})


# --- User pages (Beheerder) -------------------------------------------------------------------------------------


@require_GET
@permission_required(is_beheerder)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(search=filters.get("q", ""), role=filters.get("rol", ""), region=filters.get("regio"))
    page = Paginator(users, selectors.USERS_PER_PAGE).get_page(request.GET.get("pagina"))
    rows = [{"user": user, "role": user_role(user)} for user in page]
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()})


@require_http_methods(["GET", "POST"])
@permission_required(is_beheerder)
def user_invite(request):
    form = InvitationForm(request.POST or None)
    if form.is_valid():
        try:
            user = services.user_invite(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"De uitnodiging is verstuurd naar {user.email}.")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_invite.html", {"form": form, "valid_days": settings.INVITATION_VALID_DAYS})


@require_http_methods(["GET", "POST"])
@permission_required(is_beheerder)
def user_detail(request, pk):
    user = get_object_or_404(User.objects.select_related("invitation"), pk=pk)
    form = RoleRegionsForm(request.POST or None, initial={"role": user_role(user), "regions": user.regions.all()})
    if form.is_valid():
        try:
            services.user_update(actor=request.user, user=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"De rol en regio's van {user.get_full_name() or user.username} zijn opgeslagen.")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "form": form,
            "role": user_role(user),
            "has_token": hasattr(user, "auth_token"),
            "has_two_factor": user.totpdevice_set.exists(),
            "is_self": user.pk == request.user.pk,
        },
    )


ACTIONS = {
    "deactivate": (services.user_deactivate, "{name} is gedeactiveerd; eventuele sessies en API-token werken niet meer."),
    "reactivate": (services.user_reactivate, "{name} is weer actief."),
    "invitation_resend": (services.invitation_resend, "Er is een nieuwe uitnodiging verstuurd naar {email}."),
    "invitation_withdraw": (services.invitation_withdraw, "De uitnodiging voor {email} is ingetrokken."),
    "two_factor_reset": (
        services.user_two_factor_reset,
        "De tweestapsverificatie van {name} is gereset; bij de volgende keer inloggen stelt {name} die opnieuw in.",
    ),
    "token_revoke": (services.user_token_revoke, "Het API-token van {name} is ingetrokken."),
}


@require_POST
@permission_required(is_beheerder)
def user_action(request, pk, action):
    user = get_object_or_404(User.objects.select_related("invitation"), pk=pk)
    service, done = ACTIONS[action]
    name, email = user.get_full_name() or user.username, user.email
    try:
        service(actor=request.user, user=user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(name=name, email=email))
        if action == "invitation_withdraw":
            return redirect("accounts:user_list")
    return redirect("accounts:user_detail", pk=pk)


@require_POST
@permission_required(is_beheerder)
def user_token_create(request, pk):
    """The new key is shown on this answer only: it is never stored anywhere it could be read again."""
    user = get_object_or_404(User, pk=pk)
    try:
        key = services.user_token_create(actor=request.user, user=user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:user_detail", pk=pk)
    response = render(request, "accounts/token_created.html", {"subject": user, "key": key})
    response["Cache-Control"] = "no-store"
    return response
