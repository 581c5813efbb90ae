from django.apps import AppConfig


class DemoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demodata"

    def ready(self):
        from django.core.cache import cache
        from django.db.models.signals import post_delete, post_save

        from demo.models import DemoDataset

        def forget_banner(**kwargs):
            cache.delete(DemoDataset.CACHE_KEY)

        post_save.connect(forget_banner, sender=DemoDataset, weak=False, dispatch_uid="demo-banner-save")
        post_delete.connect(forget_banner, sender=DemoDataset, weak=False, dispatch_uid="demo-banner-delete")
