from django import forms

from core.text import bounded_text
from regions.models import ContactPerson


class ContactForm(forms.Form):
    """One contact slot (kind × position); all fields empty removes the contact."""

    name = forms.CharField(label="Naam", required=False, max_length=200, validators=bounded_text())
    function = forms.CharField(label="Functie", required=False, max_length=200, validators=bounded_text())
    organisation = forms.CharField(label="Organisatie", required=False, max_length=200, validators=bounded_text())
    email = forms.EmailField(label="E-mailadres", required=False)
    phone = forms.CharField(label="Telefoonnummer", required=False, max_length=30, validators=bounded_text())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, position: str, contact: ContactPerson | None, **kwargs):
        self.kind, self.position = kind, position
        self.title = f"{ContactPerson.Kind(kind).label} aanspreekpunt – {ContactPerson.Position(position).label.lower()}"
        initial = {"version": contact.version if contact else 0}
        if contact:
            initial |= {name: getattr(contact, name) for name in ("name", "function", "organisation", "email", "phone")}
        super().__init__(*args, prefix=f"{kind}-{position}", initial=initial, **kwargs)


class AdoptionForm(forms.Form):
    """The regiovisie adoption of one municipality; an empty date removes it."""

    decision_date = forms.DateField(
        label="Datum raadsbesluit",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision_url = forms.CharField(label="Link naar het raadsbesluit", required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, municipality, **kwargs):
        self.municipality = self.title = municipality
        adoption = getattr(municipality, "regiovisie_adoption", None)
        initial = {"version": adoption.version if adoption else 0}
        if adoption:
            initial |= {"decision_date": adoption.decision_date, "decision_url": adoption.decision_url}
        super().__init__(*args, prefix=f"gemeente-{municipality.pk}", initial=initial, **kwargs)
