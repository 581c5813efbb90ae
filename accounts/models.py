from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token


class User(AbstractUser):
    """A person signing in. The role is the user's group; `regions` are the regions they work for."""

    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="users",
        verbose_name="regio's",
        help_text="Regio's waarvoor deze gebruiker werkt (regio-adviseur of regio-gebruiker).",
    )

    afstemming_mail = models.BooleanField(
        "e-mail over afstemming",
        default=True,
        help_text="Eén e-mail per dag met wat op afstemming wacht (regio) of met nieuwe niet-akkoorden (adviseur).",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        constraints = [
            # Sign-in with the organisation's account, invitations and password resets find a person by
            # e-mail address: two accounts with one address (in any case) would be ambiguous.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
        ]

    class Status(models.TextChoices):
        INVITED = "uitgenodigd", "Uitgenodigd"
        ACTIVE = "actief", "Actief"
        DEACTIVATED = "gedeactiveerd", "Gedeactiveerd"

    @property
    def status(self) -> "User.Status":
        """Active; invited (inactive with an invitation not yet accepted); or deactivated."""
        if self.is_active:
            return self.Status.ACTIVE
        invitation = getattr(self, "invitation", None)
        if invitation is not None and invitation.accepted_at is None:
            return self.Status.INVITED
        return self.Status.DEACTIVATED


class Invitation(models.Model):
    """The one-time link with which an invited user chooses a password; one per user, renewed on resend.

    Only a SHA-256 hash of the link's token is stored, so a database copy cannot be used to accept it.
    The user stays inactive (status "uitgenodigd") until the invitation is accepted.
    """

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="invitation", verbose_name="gebruiker")
    token_hash = models.CharField("token (hash)", max_length=64, unique=True)
    invited_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uitgenodigd door",
    )
    sent_at = models.DateTimeField("verstuurd op")
    expires_at = models.DateTimeField("geldig tot")
    accepted_at = models.DateTimeField("geaccepteerd op", null=True, blank=True)

    class Meta:
        verbose_name = "uitnodiging"
        verbose_name_plural = "uitnodigingen"
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("sent_at")), name="invitation_expires_after_sent"),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(accepted_at__gte=models.F("sent_at")),
                name="invitation_accepted_after_sent",
            ),
        ]

    def __str__(self):
        return f"Uitnodiging voor {self.user}"


class AuthenticatorApp(TOTPDevice):
    """django-otp's TOTP device under a Dutch name, for the admin (which never shows its secret)."""

    class Meta:
        proxy = True
        verbose_name = "authenticator-app"
        verbose_name_plural = "authenticator-apps (tweestapsverificatie)"


class BackupCodes(StaticDevice):
    """django-otp's static device (the backup codes) under a Dutch name, for the admin (which never shows them)."""

    class Meta:
        proxy = True
        verbose_name = "set reservecodes"
        verbose_name_plural = "reservecodes (tweestapsverificatie)"


class ApiToken(Token):
    """An API token under a Dutch name whose text never contains its key (the admin and its log show the text)."""

    class Meta:
        proxy = True
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"

    def __str__(self):
        return f"API-token van {self.user}"
