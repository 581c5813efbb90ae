from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from regions.selectors import region_list


@login_required
def home(request):
    return render(request, "regions/region_list.html", {"regions": region_list()})
