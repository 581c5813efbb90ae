import uuid
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import permission_required, personal_data
from accounts.roles import (
    can_confirm_region,
    can_discuss_status,
    can_edit_region,
    can_follow_afstemming,
    can_import_statuses,
    can_see_afstemming,
    can_see_contacts,
    has_role,
)
from agreements.forms import CommentForm, DisagreeForm, StatusForm, StatusImportForm
from agreements.models import Agreement, AgreementStatus, Status
from agreements.selectors import (
    afstemming_overview,
    afstemming_status,
    agreement_list,
    agreement_status_for_edit,
    peers_further_along,
    region_status_history,
)
from agreements.services import (
    region_statuses_agree,
    status_agree,
    status_comment_add,
    status_disagree,
    status_import_apply,
    status_update,
)
from agreements.spreadsheets import (
    XLSX_CONTENT_TYPE,
    PlannedChange,
    current_status_rows,
    status_history_csv,
    status_import_plan,
    status_table_csv,
    status_table_xlsx,
)
from core.edit import display, edit_page
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
@personal_data
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


def _status_rows(form, theirs: AgreementStatus) -> list:
    yours = form.cleaned_data
    return [
        ("Status", display(theirs.get_status_display()), display(Status(yours["status"]).label)),
        ("Criteria voldaan", display([c.text for c in theirs.criteria_met.all()]), display([c.text for c in yours["criteria_met"]])),
        ("Toelichting", display(theirs.explanation), display(yours["explanation"])),
        (
            "Toelichting openbaar",
            display("ja" if theirs.explanation_public else "nee"),
            display("ja" if yours["explanation_public"] else "nee"),
        ),
        ("Onderbouwing", display(theirs.evidence_links), display(yours["evidence_links"])),
    ]


def _status_saved(request, number: int, results: list) -> None:
    if results[0] is None:
        messages.info(request, f"Afspraak {number}: er was niets gewijzigd.")
    else:
        messages.success(request, f"De status van afspraak {number} is opgeslagen.")


@require_http_methods(["GET", "POST"])
@permission_required(can_edit_region, load=region_for_url)
def status_edit(request, region, number):
    try:
        agreement_status = agreement_status_for_edit(region=region, number=number)
    except AgreementStatus.DoesNotExist:
        raise Http404("Deze afspraak bestaat niet.") from None
    return edit_page(
        request,
        build=lambda data: [StatusForm(data, agreement_status=agreement_status)],
        save=lambda form: status_update(
            agreement_status=agreement_status,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            status=form.cleaned_data["status"],
            criteria_met=form.cleaned_data["criteria_met"],
            explanation=form.cleaned_data["explanation"],
            explanation_public=form.cleaned_data["explanation_public"],
            evidence_links=form.cleaned_data["evidence_links"],
        ),
        describe=lambda form, theirs: ("deze status", _status_rows(form, theirs)),
        template="agreements/status_edit.html",
        context={"region": region, "agreement_status": agreement_status},
        success_url=reverse("pages:region_detail", args=[region.slug]),
        success=lambda results: _status_saved(request, agreement_status.agreement.number, results),
    )


@require_GET
@personal_data
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


# --- Afstemming ---


def _back(request, region: Region, number: int | None = None):
    """Where a form of the afstemming returns to: the page it was sent from (a fixed choice, never a URL)."""
    back = request.POST.get("terug", "")
    if back == "mijn-regios":
        return redirect("pages:my_regions")
    if back == "regio" or number is None:
        return redirect("pages:region_detail", slug=region.slug)
    return redirect("agreements:status_afstemming", slug=region.slug, number=number)


def _posted_version(request) -> int:
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise ApplicationError("Het formulier mist de versie van de status. Laad de pagina opnieuw.") from None
    if not 1 <= version <= 2**31 - 1:
        raise ApplicationError("Het formulier mist de versie van de status. Laad de pagina opnieuw.")
    return version


@require_http_methods(["GET", "POST"])
@permission_required(can_see_afstemming, load=region_for_url)
def status_afstemming(request, region, number):
    """A status with its afstemming (who asked, agreed or disagreed and when) and its comments; the region agrees
    or disagrees here (with a reason), the region and its advisers comment (POST `actie`)."""
    try:
        agreement_status = afstemming_status(region=region, number=number)
    except AgreementStatus.DoesNotExist:
        raise Http404("Deze afspraak bestaat niet.") from None
    disagree_form = DisagreeForm(initial={"version": agreement_status.version})
    comment_form = CommentForm()
    code = 200
    if request.method == "POST":
        action = request.POST.get("actie", "")
        try:
            if action == "akkoord":
                status_agree(agreement_status=agreement_status, expected_version=_posted_version(request), user=request.user)
                messages.success(request, f"{region.name}, afspraak {number}: afgestemd. Dank u wel.")
                return _back(request, region, number)
            if action == "niet_akkoord":
                disagree_form = DisagreeForm(request.POST)
                if disagree_form.is_valid():
                    status_disagree(
                        agreement_status=agreement_status,
                        expected_version=disagree_form.cleaned_data["version"],
                        user=request.user,
                        reason=disagree_form.cleaned_data["reason"],
                    )
                    messages.success(request, f"Afspraak {number}: niet akkoord vastgelegd. De regio-adviseur krijgt uw reden te zien.")
                    return _back(request, region, number)
                code = 400
            elif action == "reactie":
                comment_form = CommentForm(request.POST)
                if comment_form.is_valid():
                    status_comment_add(agreement_status=agreement_status, user=request.user, text=comment_form.cleaned_data["text"])
                    messages.success(request, "Uw reactie is geplaatst.")
                    return _back(request, region, number)
                code = 400
            else:
                messages.error(request, "Dit formulier is niet bekend. Laad de pagina opnieuw.")
                code = 400
        except PermissionDenied:
            raise
        except ConflictError as error:
            messages.error(request, error.message)
            agreement_status = afstemming_status(region=region, number=number)
            disagree_form = DisagreeForm(initial={"version": agreement_status.version, "reason": request.POST.get("reason", "")})
            code = 409
        except ApplicationError as error:
            form = comment_form if action == "reactie" else disagree_form
            if action in ("reactie", "niet_akkoord"):
                form.add_error("text" if action == "reactie" else "reason", error.message)
            else:
                messages.error(request, error.message)
            code = 400
    return render(
        request,
        "agreements/status_afstemming.html",
        {
            "region": region,
            "agreement_status": agreement_status,
            "disagree_form": disagree_form,
            "comment_form": comment_form,
            "can_confirm": can_confirm_region(request.user, region.pk),
            "can_comment": can_discuss_status(request.user, region.pk),
            "can_edit": can_edit_region(request.user, region.pk),
        },
        status=code,
    )


@require_POST
@permission_required(can_confirm_region, load=region_for_url)
def region_afstemming_agree_all(request, region):
    """ "Alles akkoord": every status of the region that is ter afstemming, at the versions the page showed."""
    versions = {}
    for key, value in request.POST.items():
        if key.startswith("status-"):
            try:
                versions[int(key.removeprefix("status-"))] = int(value)
            except ValueError:
                continue
    try:
        agreed = region_statuses_agree(region=region, expected_versions=versions, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{region.name}: {agreed} status{'sen' if agreed != 1 else ''} afgestemd. Dank u wel.")
    return _back(request, region)


@require_GET
@permission_required(can_follow_afstemming)
def afstemming_overview_page(request):
    statuses = afstemming_overview(user=request.user)
    return render(request, "agreements/afstemming_overview.html", {"statuses": statuses})
