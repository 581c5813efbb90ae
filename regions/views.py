from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import permission_required, personal_data
from accounts.roles import can_edit_region, has_role
from core.edit import display, edit_page
from regions import selectors
from regions.forms import AdoptionForm, ContactForm
from regions.models import ContactPerson
from regions.selectors import region_for_url
from regions.services import CONTACT_FIELDS, adoption_save, contact_remove, contact_save


def _contact_slot_save(form, *, region, user):
    """A slot with any field filled in is saved; a slot with every field empty is removed."""
    slot = {"region": region, "kind": form.kind, "position": form.position, "user": user, "expected_version": form.cleaned_data["version"]}
    fields = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
    return contact_save(**slot, **fields) if any(fields.values()) else contact_remove(**slot)


def _fields_rows(form, current, names) -> list:
    return [
        (str(form.fields[name].label), display(getattr(current, name) if current else None), display(form.cleaned_data[name]))
        for name in names
    ]


@require_http_methods(["GET", "POST"])
@personal_data
@permission_required(can_edit_region, load=region_for_url)
def contacts_edit(request, region):
    current = {(c.kind, c.position): c for c in region.contacts.all()}
    slots = [(kind, position) for kind in ContactPerson.Kind for position in ContactPerson.Position]
    return edit_page(
        request,
        build=lambda data: [ContactForm(data, kind=k, position=p, contact=current.get((k, p))) for k, p in slots],
        save=lambda form: _contact_slot_save(form, region=region, user=request.user),
        describe=lambda form, theirs: (f"het {form.title.lower()}", _fields_rows(form, theirs, CONTACT_FIELDS)),
        template="regions/contacts_edit.html",
        context={"region": region},
        success_url=reverse("pages:region_detail", args=[region.slug]),
        success=lambda results: messages.success(request, "De contactpersonen zijn opgeslagen."),
    )


@require_http_methods(["GET", "POST"])
@permission_required(can_edit_region, load=region_for_url)
def adoptions_edit(request, region):
    municipalities = selectors.region_adoption_municipalities(region=region)
    return edit_page(
        request,
        build=lambda data: [AdoptionForm(data, municipality=municipality) for municipality in municipalities],
        save=lambda form: adoption_save(
            municipality=form.municipality,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            decision_date=form.cleaned_data["decision_date"],
            decision_url=form.cleaned_data["decision_url"],
        ),
        describe=lambda form, theirs: (
            f"de vaststelling van {form.municipality.name}",
            _fields_rows(form, theirs, ("decision_date", "decision_url")),
        ),
        template="regions/adoptions_edit.html",
        context={"region": region},
        success_url=reverse("pages:region_detail", args=[region.slug]),
        success=lambda results: messages.success(request, "De vaststellingen van de regiovisie zijn opgeslagen."),
    )


@require_GET
@permission_required(has_role)
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


@require_GET
@permission_required(has_role)
def municipality_suggestions(request):
    """Autocomplete for the search field: at most 10 names, best first."""
    matches = selectors.municipality_search(query=request.GET.get("q", "").strip()[:100], limit=10)
    return JsonResponse({"suggestions": [{"name": m.name, "region": m.region.name} for m in matches]})
