from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public dashboard at /openbaar/: released snapshots for anonymous visitors, without personal data."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "openbaar dashboard"
