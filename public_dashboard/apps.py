from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public dashboard at /openbaar/: released snapshots for anonymous visitors, without personal data."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "public_dashboard"  # not "public": that name belongs to atpublic, which aiosmtpd imports
    verbose_name = "openbaar dashboard"
