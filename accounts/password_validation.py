"""Django's minimum-length password validator with a Dutch message (Django's Dutch translation lacks it)."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"Dit wachtwoord is te kort: het moet ten minste {self.min_length} tekens hebben."

    def get_help_text(self):
        return f"Uw wachtwoord moet ten minste {self.min_length} tekens hebben."
