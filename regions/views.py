from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from regions import selectors


@login_required
def home(request):
    return render(request, "regions/region_list.html", {"regions": selectors.region_list()})


@login_required
def municipality_search(request):
    """Which region does a gemeente belong to? One answer for an exact name, else the closest names."""
    query = request.GET.get("q", "").strip()[:100]
    matches = selectors.municipality_search(query=query)
    exact = matches[0] if matches and matches[0].exact else None
    context = {"query": query, "matches": matches, "exact": exact}
    if exact:
        here = {exact.region.id: (f"{exact.name} ligt hier", "nvo-tile--highlight")}
        context["tiles"] = selectors.region_tiles(values=here)
    return render(request, "regions/municipality_search.html", context)


@login_required
def municipality_suggestions(request):
    """Autocomplete for the search field: at most 10 names, best first."""
    matches = selectors.municipality_search(query=request.GET.get("q", "").strip()[:100], limit=10)
    return JsonResponse({"suggestions": [{"name": m.name, "region": m.region.name} for m in matches]})
