from django.conf import settings

from demo.models import DemoDataset


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "demo_data_loaded": DemoDataset.objects.exists(),
    }
