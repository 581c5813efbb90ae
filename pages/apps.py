from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The composing layer: pages that combine several domains (home, region page, follow-up overview)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = "Pagina's"
