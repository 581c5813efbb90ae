from django import forms
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from regions.models import ContactPerson, Region
from support.models import NetworkMeeting, SupportAction

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SupportActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SupportAction
        fields = ["kind", "date", "agreement", "vng_staff", "summary", "next_step", "next_step_due", "status"]
        widgets = {
            "date": _DATE,
            "next_step_due": _DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"agreement": "Laat leeg als de actie over de regio als geheel gaat."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vng_staff"].queryset = (
            User.objects.filter(Q(groups__name__in=[Role.VNG_MEDEWERKER, Role.BEHEERDER]) | Q(is_superuser=True), is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["vng_staff"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["agreement"].empty_label = "Geen specifieke afspraak"


class NetworkMeetingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = NetworkMeeting
        fields = ["network", "starts_at", "ends_at", "format", "location", "agenda"]
        widgets = {"starts_at": _DATETIME, "ends_at": _DATETIME, "agenda": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"location": "Verplicht bij een fysieke bijeenkomst."}


NOT_PRESENT = ""


class AttendanceForm(forms.Form):
    """One choice per region: represented by the primary contact, by the vervanger, or not present."""

    CHOICES = [*ContactPerson.Position.choices, (NOT_PRESENT, "Niet aanwezig")]

    def __init__(self, *args, regions: list[Region], attendance: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for region in regions:
            self.fields[f"regio-{region.id}"] = forms.ChoiceField(
                label=region.name,
                choices=self.CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=attendance.get(region.id, NOT_PRESENT),
            )

    def represented_by(self) -> dict[int, str]:
        return {int(name.removeprefix("regio-")): value for name, value in self.cleaned_data.items() if value != NOT_PRESENT}
