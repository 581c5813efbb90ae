from django.db import models


class DemoDataset(models.Model):
    """Present while demo data is loaded; the UI then shows a 'demodata' banner on every page."""

    CACHE_KEY = "demo-data-loaded"

    loaded_at = models.DateTimeField("geladen op", auto_now_add=True)

    class Meta:
        verbose_name = "demodataset"
        verbose_name_plural = "demodatasets"

    def __str__(self):
        return f"Demodata geladen op {self.loaded_at:%d-%m-%Y %H:%M}"
