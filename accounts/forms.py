from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from accounts.roles import Role
from accounts.selectors import SEARCH_MAX_LENGTH, Region
from accounts.services import EMAIL_MAX_LENGTH, link_request_allowed

# Longer input is refused before anything is hashed or stored (an enormous password would cost seconds
# of hashing per attempt; an over-long username would not fit the lockout records).
PASSWORD_MAX_LENGTH = 1024
TOO_MANY_REQUESTS = "Voor dit e-mailadres zijn het afgelopen uur al te veel links aangevraagd. Probeer het over een uur opnieuw."


class LoginForm(AuthenticationForm):
    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError("Deze gebruikersnaam bestaat niet.", code="max_length")
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        if len(password) > PASSWORD_MAX_LENGTH:
            raise forms.ValidationError("Dit wachtwoord is te lang.", code="max_length")
        return password


def _regions_field():
    return forms.ModelMultipleChoiceField(
        label="Regio's",
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Verplicht voor een regio-adviseur en een regio-gebruiker; leeg voor de andere rollen.",
    )


class RoleRegionsForm(forms.Form):
    role = forms.ChoiceField(label="Rol", choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"] = _regions_field()


class InvitationForm(RoleRegionsForm):
    first_name = forms.CharField(label="Voornaam", max_length=150)
    last_name = forms.CharField(label="Achternaam", max_length=150)
    # The length is checked by the service, with a Dutch message (the field's own limit would cut input off).
    email = forms.CharField(label="E-mailadres", widget=forms.EmailInput(attrs={"autocomplete": "off"}), max_length=EMAIL_MAX_LENGTH * 2)
    field_order = ["first_name", "last_name", "email", "role", "regions"]


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=SEARCH_MAX_LENGTH, help_text="Naam of e-mailadres")
    rol = forms.ChoiceField(label="Rol", required=False, choices=[("", "Alle rollen"), *Role.choices])
    regio = forms.ModelChoiceField(
        label="Regio", required=False, queryset=Region.objects.order_by("name"), empty_label="Alle regio's", to_field_name="slug"
    )


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="Voornaam", max_length=150, required=False)
    last_name = forms.CharField(label="Achternaam", max_length=150, required=False)
    email = forms.CharField(label="E-mailadres", widget=forms.EmailInput, max_length=EMAIL_MAX_LENGTH * 2)


class LinkRequestForm(forms.Form):
    """An e-mail address that asks for a link; past ACCOUNT_LINK_REQUESTS_PER_HOUR per address it is refused."""

    email = forms.EmailField(label="E-mailadres", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not link_request_allowed(email=email):
            raise forms.ValidationError(TOO_MANY_REQUESTS, code="rate_limited")
        return email


class ResetRequestForm(LinkRequestForm, PasswordResetForm):
    """Django's password reset, with the hourly limit per address: known and unknown addresses alike."""
