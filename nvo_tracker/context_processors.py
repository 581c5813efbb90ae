from django.conf import settings

from demo.models import DemoDataset


def site(request):
    return {
        "app_name": settings.APP_NAME,
        "demo_data_loaded": DemoDataset.objects.exists(),
    }
