"""Pages for the follow-up of lagging regions and the BW-MO network. VNG tools, except the meeting list and calendar files."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import permission_required, personal_data
from accounts.roles import has_role, is_vng_or_beheerder
from core.edit import edit_page, model_form_rows
from core.excel_csv import excel_csv
from regions.models import ContactPerson, Region
from support import selectors, services
from support.forms import AttendanceForm, NetworkMeetingForm, SupportActionForm
from support.ics import meeting_ics as meeting_ics_text
from support.models import NetworkMeeting, SupportAction


def _fields(form) -> dict:
    return {key: value for key, value in form.cleaned_data.items() if key != "version"}


@permission_required(is_vng_or_beheerder)
def support_action_create(request, slug):
    region = get_object_or_404(Region, slug=slug)
    initial = {"vng_staff": request.user, "date": timezone.localdate()}
    return edit_page(
        request,
        build=lambda data: [SupportActionForm(data, initial=initial)],
        save=lambda form: services.support_action_create(user=request.user, region=region, **_fields(form)),
        describe=None,  # a new action cannot conflict
        template="support/support_action_form.html",
        context={"region": region, "action": None},
        success_url=reverse("pages:follow_up"),
        success=lambda results: messages.success(request, f"De ondersteuningsactie voor {region.name} is vastgelegd."),
    )


@permission_required(is_vng_or_beheerder)
def support_action_edit(request, pk):
    action = get_object_or_404(SupportAction.objects.select_related("region"), pk=pk)
    return edit_page(
        request,
        build=lambda data: [SupportActionForm(data, instance=action, initial={"version": action.version})],
        save=lambda form: services.support_action_update(
            action=action, expected_version=form.cleaned_data["version"] or 0, user=request.user, **_fields(form)
        ),
        describe=lambda form, theirs: (f"deze ondersteuningsactie voor {action.region.name}", model_form_rows(form, theirs)),
        template="support/support_action_form.html",
        context={"region": action.region, "action": action},
        success_url=reverse("pages:follow_up"),
        success=lambda results: messages.success(request, f"De ondersteuningsactie voor {action.region.name} is opgeslagen."),
    )


@permission_required(has_role)
def meeting_list(request):
    upcoming, past = selectors.meetings_upcoming_and_past(now=timezone.now())
    return render(
        request, "support/meeting_list.html", {"upcoming": upcoming, "past": past, "can_manage": is_vng_or_beheerder(request.user)}
    )


@permission_required(is_vng_or_beheerder)
def meeting_create(request):
    return edit_page(
        request,
        build=lambda data: [NetworkMeetingForm(data)],
        save=lambda form: services.meeting_create(user=request.user, **_fields(form)),
        describe=None,  # a new meeting cannot conflict
        template="support/meeting_form.html",
        context={"meeting": None},
        success_url=reverse("support:meeting_list"),
        success=lambda results: messages.success(request, "De bijeenkomst is vastgelegd."),
    )


@permission_required(is_vng_or_beheerder)
def meeting_edit(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    return edit_page(
        request,
        build=lambda data: [NetworkMeetingForm(data, instance=meeting, initial={"version": meeting.version})],
        save=lambda form: services.meeting_update(
            meeting=meeting, expected_version=form.cleaned_data["version"] or 0, user=request.user, **_fields(form)
        ),
        describe=lambda form, theirs: ("deze netwerkbijeenkomst", model_form_rows(form, theirs)),
        template="support/meeting_form.html",
        context={"meeting": meeting},
        success_url=reverse("support:meeting_list"),
        success=lambda results: messages.success(request, "De bijeenkomst is opgeslagen."),
    )


@permission_required(is_vng_or_beheerder)
def meeting_attendance(request, pk):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    regions, attendance = selectors.meeting_attendance_by_region(meeting=meeting)
    return edit_page(
        request,
        build=lambda data: [AttendanceForm(data, regions=regions, attendance=attendance)],
        save=lambda form: services.meeting_attendance_set(meeting=meeting, user=request.user, represented_by=form.represented_by()),
        describe=None,  # the attendance list is replaced as a whole, under the meeting's lock
        template="support/meeting_attendance.html",
        context={"meeting": meeting},
        success_url=reverse("support:meeting_list"),
        success=lambda results: messages.success(request, f"De aanwezigheid is opgeslagen ({results[0]} regio's aanwezig)."),
    )


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


@personal_data
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


@personal_data
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
