from django import forms
from django.contrib.auth.forms import AuthenticationForm

# Longer input is refused before anything is hashed or stored (an enormous password would cost seconds
# of hashing per attempt; an over-long username would not fit the lockout records).
PASSWORD_MAX_LENGTH = 1024


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
