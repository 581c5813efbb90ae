import uuid
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import permission_required
from accounts.roles import can_edit_region, can_import_statuses, can_see_contacts, has_role
from agreements.forms import StatusForm, StatusImportForm
from agreements.models import Agreement, AgreementStatus, Status
from agreements.selectors import agreement_list, agreement_status_for_edit, peers_further_along, region_status_history
from agreements.services import status_import_apply, status_update
from agreements.spreadsheets import (
    XLSX_CONTENT_TYPE,
    PlannedChange,
    current_status_rows,
    status_history_csv,
    status_import_plan,
    status_table_csv,
    status_table_xlsx,
)
from core.errors import ApplicationError, ConflictError
from regions.models import Region
from regions.selectors import region_for_url

PENDING_IMPORT = "status_import"


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required(has_role)
def status_export(request, extension: str):
    agreements, rows = list(agreement_list()), current_status_rows()
    filename = f"nvo-huidige-stand-{timezone.localdate().isoformat()}.{extension}"
    if extension == "csv":
        return _download(status_table_csv(agreements=agreements, rows=rows), "text/csv; charset=utf-8", filename)
    body = status_table_xlsx(agreements=agreements, rows=rows, title="Huidige stand")
    return _download(body, XLSX_CONTENT_TYPE, filename)


@require_GET
@permission_required(has_role)
def region_history_csv(request, slug: str):
    region = region_for_url(slug=slug)
    body = status_history_csv(changes=region_status_history(region=region))
    return _download(body, "text/csv; charset=utf-8", f"geschiedenis-{region.slug}.csv")


@permission_required(can_import_statuses)
def status_import(request):
    """Upload → preview of every change and every rejected row; nothing is written until confirmed."""
    form = StatusImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            # One byte over the limit is enough for the plan to refuse the file; never read a huge upload whole.
            data = form.cleaned_data["file"].read(settings.STATUS_IMPORT_MAX_BYTES + 1)
            plan = status_import_plan(user=request.user, data=data)
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            token = uuid.uuid4().hex
            request.session[PENDING_IMPORT] = {"token": token, "changes": [asdict(c) for c in plan.changes]}
            return render(request, "agreements/status_import_preview.html", {"plan": plan, "token": token})
    return render(request, "agreements/status_import.html", {"form": form})


@require_POST
@permission_required(can_import_statuses)
def status_import_confirm(request):
    pending = request.session.get(PENDING_IMPORT)
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(request, "Deze voorvertoning is verlopen of vervangen. Upload het bestand opnieuw.")
        return redirect("agreements:status_import")
    del request.session[PENDING_IMPORT]
    try:
        applied = status_import_apply(user=request.user, changes=[PlannedChange(**c) for c in pending["changes"]])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Import opgeslagen: {applied} status(sen) gewijzigd.")
    return redirect("agreements:status_import")


@require_http_methods(["GET", "POST"])
@permission_required(can_edit_region, load=region_for_url)
def status_edit(request, region, number):
    try:
        agreement_status = agreement_status_for_edit(region=region, number=number)
    except AgreementStatus.DoesNotExist:
        raise Http404("Deze afspraak bestaat niet.") from None
    form = StatusForm(request.POST if request.method == "POST" else request.pending_data, agreement_status=agreement_status)
    context = {"region": region, "agreement_status": agreement_status}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = status_update(
                agreement_status=agreement_status,
                expected_version=data["version"],
                user=request.user,
                status=data["status"],
                criteria_met=data["criteria_met"],
                explanation=data["explanation"],
                evidence_links=data["evidence_links"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ConflictError:
            theirs = agreement_status_for_edit(region=region, number=number)
            yours = {**data, "status_label": Status(data["status"]).label}
            rebased = request.POST.copy()
            rebased["version"] = theirs.version  # the user may now deliberately save theirs over it
            form = StatusForm(rebased, agreement_status=theirs)
            return render(
                request,
                "agreements/status_edit.html",
                {
                    **context,
                    "form": form,
                    "theirs": theirs,
                    "yours": yours,
                },
                status=409,
            )
        else:
            number = agreement_status.agreement.number
            if change is None:
                messages.info(request, f"Afspraak {number}: er was niets gewijzigd.")
            else:
                messages.success(request, f"De status van afspraak {number} is opgeslagen.")
            return redirect("pages:region_detail", slug=region.slug)
    return render(request, "agreements/status_edit.html", {**context, "form": form})


@require_GET
@permission_required(has_role)
def peers(request, number: int):
    agreement = get_object_or_404(Agreement, number=number)
    slug = request.GET.get("regio", "").strip()
    region = get_object_or_404(Region, slug=slug) if slug else None
    context = {
        "agreement": agreement,
        "region": region,
        "regions": Region.objects.order_by("name").only("name", "slug"),
        "peers": peers_further_along(region, number),
        "show_contacts": can_see_contacts(request.user),
    }
    return render(request, "agreements/peers.html", context)
