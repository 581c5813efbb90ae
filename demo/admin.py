from django.contrib import admin

from demo.models import DemoDataset

admin.site.register(DemoDataset)
