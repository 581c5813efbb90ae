from django.contrib.auth.models import AbstractUser
from django.db import models


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
