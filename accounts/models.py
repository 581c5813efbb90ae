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

    class Meta(AbstractUser.Meta):
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
