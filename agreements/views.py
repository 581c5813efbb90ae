from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import region_editor_required
from agreements.forms import StatusForm
from agreements.models import AgreementStatus, Status
from agreements.selectors import agreement_status_for_edit
from agreements.services import status_update
from nvo_tracker.errors import ConflictError


@require_http_methods(["GET", "POST"])
@region_editor_required
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
                agreement_status=agreement_status, expected_version=data["version"], user=request.user,
                status=data["status"], criteria_met=data["criteria_met"], explanation=data["explanation"],
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
            return render(request, "agreements/status_edit.html", {
                **context, "form": form, "theirs": theirs, "yours": yours,
            }, status=409)
        else:
            number = agreement_status.agreement.number
            if change is None:
                messages.info(request, f"Afspraak {number}: er was niets gewijzigd.")
            else:
                messages.success(request, f"De status van afspraak {number} is opgeslagen.")
            return redirect("region_detail", slug=region.slug)
    return render(request, "agreements/status_edit.html", {**context, "form": form})
