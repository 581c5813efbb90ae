"""Pages for the follow-up of lagging regions and the BW-MO network. VNG tools, except the meeting list and calendar files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import permission_required
from accounts.roles import has_role, is_vng_or_beheerder
from core.errors import ConflictError
from core.excel_csv import excel_csv
from regions.models import ContactPerson, Region
from support import selectors, services
from support.forms import AttendanceForm, NetworkMeetingForm, SupportActionForm
from support.ics import meeting_ics as meeting_ics_text
from support.models import NetworkMeeting, SupportAction


def _saved(form, save) -> bool:
    """Call `save`; a refused value becomes a form error (Dutch), so the user loses nothing."""
    try:
        save()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


def _conflict(request, error: ConflictError, *, form, title: str, edit_url: str):
    return render(
        request,
        "support/conflict.html",
        {"message": error.message, "current": error.current, "form": form, "title": title, "edit_url": edit_url},
        status=409,
    )


@permission_required(is_vng_or_beheerder)
def support_action_create(request, slug):
    region = get_object_or_404(Region, slug=slug)
    form = SupportActionForm(request.POST or None, initial={"vng_staff": request.user, "date": timezone.localdate()})
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        if _saved(form, lambda: services.support_action_create(user=request.user, region=region, **data)):
            messages.success(request, f"De ondersteuningsactie voor {region.name} is vastgelegd.")
            return redirect("pages:follow_up")
    return render(request, "support/support_action_form.html", {"form": form, "region": region, "action": None})


@permission_required(is_vng_or_beheerder)
def support_action_edit(request, pk):
    action = get_object_or_404(SupportAction.objects.select_related("region"), pk=pk)
    form = SupportActionForm(request.POST or None, instance=action, initial={"version": action.version})
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        try:
            saved = _saved(
                form,
                lambda: services.support_action_update(
                    action=action, expected_version=form.cleaned_data["version"] or 0, user=request.user, **data
                ),
            )
        except ConflictError as error:
            return _conflict(
                request,
                error,
                form=form,
                title=f"Ondersteuningsactie {action.region.name}",
                edit_url=reverse("support:support_action_edit", args=[action.pk]),
            )
        if saved:
            messages.success(request, f"De ondersteuningsactie voor {action.region.name} is opgeslagen.")
            return redirect("pages:follow_up")
    return render(request, "support/support_action_form.html", {"form": form, "region": action.region, "action": action})


@permission_required(has_role)
def meeting_list(request):
    upcoming, past = selectors.meetings_upcoming_and_past(now=timezone.now())
    return render(
        request, "support/meeting_list.html", {"upcoming": upcoming, "past": past, "can_manage": is_vng_or_beheerder(request.user)}
    )


@permission_required(is_vng_or_beheerder)
def meeting_create(request):
    form = NetworkMeetingForm(request.POST or None)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        if _saved(form, lambda: services.meeting_create(user=request.user, **data)):
            messages.success(request, "De bijeenkomst is vastgelegd.")
            return redirect("support:meeting_list")
    return render(request, "support/meeting_form.html", {"form": form, "meeting": None})


@permission_required(is_vng_or_beheerder)
def meeting_edit(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    form = NetworkMeetingForm(request.POST or None, instance=meeting, initial={"version": meeting.version})
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        try:
            saved = _saved(
                form,
                lambda: services.meeting_update(
                    meeting=meeting, expected_version=form.cleaned_data["version"] or 0, user=request.user, **data
                ),
            )
        except ConflictError as error:
            return _conflict(
                request, error, form=form, title="Netwerkbijeenkomst", edit_url=reverse("support:meeting_edit", args=[meeting.pk])
            )
        if saved:
            messages.success(request, "De bijeenkomst is opgeslagen.")
            return redirect("support:meeting_list")
    return render(request, "support/meeting_form.html", {"form": form, "meeting": meeting})


@permission_required(is_vng_or_beheerder)
def meeting_attendance(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    regions, attendance = selectors.meeting_attendance_by_region(meeting=meeting)
    form = AttendanceForm(request.POST or None, regions=regions, attendance=attendance)
    if form.is_valid() and _saved(
        form, lambda: services.meeting_attendance_set(meeting=meeting, user=request.user, represented_by=form.represented_by())
    ):
        messages.success(request, f"De aanwezigheid is opgeslagen ({len(form.represented_by())} regio's aanwezig).")
        return redirect("support:meeting_list")
    return render(request, "support/meeting_attendance.html", {"form": form, "meeting": meeting})


@permission_required(has_role)
def meeting_ics(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    text = meeting_ics_text(meeting, host=request.get_host().split(":")[0], url=request.build_absolute_uri(reverse("support:meeting_list")))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="netwerkbijeenkomst-{meeting.starts_at:%Y-%m-%d}.ics"'
    return response


def _network_or_404(network: str) -> str:
    if network not in ContactPerson.Kind.values:
        raise Http404("Onbekend netwerk.")
    return network


@permission_required(is_vng_or_beheerder)
def network_contacts(request, network):
    network = _network_or_404(network)
    rows = selectors.network_contacts(network=network)
    return render(
        request,
        "support/network_contacts.html",
        {
            "network": network,
            "network_label": ContactPerson.Kind(network).label.lower(),
            "rows": rows,
            "missing_count": sum(bool(row.missing) for row in rows),
        },
    )


@permission_required(is_vng_or_beheerder)
def network_contacts_csv(request, network):
    network = _network_or_404(network)
    rows = []
    for row in selectors.network_contacts(network=network):
        for position, contact in (("primair", row.primair), ("vervanger", row.vervanger)):
            if contact is None:
                rows.append([row.region.name, position, "", "", "", "", "", "ontbreekt"])
            else:
                rows.append(
                    [
                        row.region.name,
                        position,
                        contact.name,
                        contact.function,
                        contact.organisation,
                        contact.email,
                        contact.phone,
                        "",
                    ]
                )
    headers = ["Regio", "Positie", "Naam", "Functie", "Organisatie", "E-mailadres", "Telefoonnummer", "Signalering"]
    response = HttpResponse(excel_csv(headers=headers, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contactpersonen-{network}.csv"'
    return response
