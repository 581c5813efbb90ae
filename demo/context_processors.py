from django.core.cache import cache

from demo.models import DemoDataset


def demo_banner(request):
    # Asked on every page, so cached; saving or deleting a DemoDataset clears it (demo.apps), the timeout
    # covers changes made around Django.
    return {"demo_data_loaded": cache.get_or_set(DemoDataset.CACHE_KEY, DemoDataset.objects.exists, 5 * 60)}
