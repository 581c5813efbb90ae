from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import permission_required
from accounts.roles import can_edit_region, has_role
from core.errors import ConflictError
from regions import selectors
from regions.forms import AdoptionForm, ContactForm
from regions.models import ContactPerson
from regions.selectors import region_for_url
from regions.services import CONTACT_FIELDS, adoption_save, contact_remove, contact_save


def _save_forms(forms, save):
    """Save every form with `save(form)` in one transaction; any error or conflict saves nothing.

    Returns (form, ConflictError) for the first conflict, else (None, None); errors land on the forms.
    """
    with transaction.atomic():
        for form in forms:
            try:
                save(form)
            except ValidationError as error:
                form.add_error(None, error)
            except ConflictError as conflict:
                transaction.set_rollback(True)
                return form, conflict
        if any(form.errors for form in forms):
            transaction.set_rollback(True)
    return None, None


def _conflict_data(request, form, version: int):
    """The submitted data, rebased on the current `version`, so a deliberate resubmit can succeed."""
    data = request.POST.copy()
    data[form.add_prefix("version")] = version
    return data


def _contact_slot_save(form, *, region, user):
    """A slot with any field filled in is saved; a slot with every field empty is removed."""
    slot = {"region": region, "kind": form.kind, "position": form.position, "user": user, "expected_version": form.cleaned_data["version"]}
    fields = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
    return contact_save(**slot, **fields) if any(fields.values()) else contact_remove(**slot)


@require_http_methods(["GET", "POST"])
@permission_required(can_edit_region, load=region_for_url)
def contacts_edit(request, region):
    current = {(c.kind, c.position): c for c in region.contacts.all()}
    slots = [(kind, position) for kind in ContactPerson.Kind for position in ContactPerson.Position]

    def build(data):
        return [ContactForm(data, kind=k, position=p, contact=current.get((k, p))) for k, p in slots]

    forms = build(request.POST if request.method == "POST" else request.pending_data)
    status, conflict_context = 200, {}
    if request.method == "POST" and all(form.is_valid() for form in forms):
        conflict_form, conflict = _save_forms(forms, lambda form: _contact_slot_save(form, region=region, user=request.user))
        if conflict:
            status = 409
            conflict_context = {"conflict_title": conflict_form.title, "theirs": conflict.current, "yours": conflict_form.cleaned_data}
            forms = build(_conflict_data(request, conflict_form, conflict.current.version if conflict.current else 0))
        elif not any(form.errors for form in forms):
            messages.success(request, "De contactpersonen zijn opgeslagen.")
            return redirect("pages:region_detail", slug=region.slug)
    return render(
        request,
        "regions/contacts_edit.html",
        {
            "region": region,
            "forms": forms,
            **conflict_context,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required(can_edit_region, load=region_for_url)
def adoptions_edit(request, region):
    municipalities = selectors.region_adoption_municipalities(region=region)

    def build(data):
        return [AdoptionForm(data, municipality=municipality) for municipality in municipalities]

    forms = build(request.POST if request.method == "POST" else request.pending_data)
    status, conflict_context = 200, {}
    if request.method == "POST" and all(form.is_valid() for form in forms):
        conflict_form, conflict = _save_forms(
            forms,
            lambda form: adoption_save(
                municipality=form.municipality,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                decision_date=form.cleaned_data["decision_date"],
                decision_url=form.cleaned_data["decision_url"],
            ),
        )
        if conflict:
            status = 409
            conflict_context = {
                "conflict_title": conflict_form.municipality.name,
                "theirs": conflict.current,
                "yours": conflict_form.cleaned_data,
            }
            municipalities = selectors.region_adoption_municipalities(region=region)
            fresh = next(m for m in municipalities if m.pk == conflict_form.municipality.pk)
            forms = build(_conflict_data(request, conflict_form, fresh.adoption_version))
        elif not any(form.errors for form in forms):
            messages.success(request, "De vaststellingen van de regiovisie zijn opgeslagen.")
            return redirect("pages:region_detail", slug=region.slug)
    return render(
        request,
        "regions/adoptions_edit.html",
        {
            "region": region,
            "forms": forms,
            **conflict_context,
        },
        status=status,
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
