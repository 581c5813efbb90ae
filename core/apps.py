from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Basis"

    def ready(self):
        from core import signals  # noqa: F401 - connects the audit receivers for sign-ins and the admin log
