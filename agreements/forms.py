from django import forms

from agreements.models import AFSTEMMING_REASON_MAX_LENGTH, COMMENT_MAX_LENGTH, AgreementStatus, Criterion, Status
from core.text import EVIDENCE_LINKS_MAX, EXPLANATION_MAX_LENGTH, bounded_text


class StatusImportForm(forms.Form):
    file = forms.FileField(
        label="Excel-bestand (.xlsx)",
        help_text="Gebruik de indeling van de export 'huidige stand'. U ziet eerst welke statussen veranderen.",
        widget=forms.ClearableFileInput(attrs={"class": "nvo-file-input"}),
    )


class StatusForm(forms.Form):
    """The edit form for one region × agreement; the rules themselves are checked by `status_update`.

    The criteria are the ones `agreement_status` came with (`agreement_status_for_edit`): offering and checking
    them costs no query. `criteria_met` cleans to those Criterion objects, in their order.
    """

    status = forms.TypedChoiceField(label="Status", choices=Status.choices, coerce=int)
    criteria_met = forms.TypedMultipleChoiceField(
        label="Minimumcriteria voldaan",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Gerealiseerd kan pas als alle minimumcriteria zijn aangevinkt.",
    )
    explanation = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=EXPLANATION_MAX_LENGTH,
        validators=bounded_text(),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    explanation_public = forms.BooleanField(
        label="Openbaar: ook op het openbare dashboard tonen",
        required=False,
        help_text="Aangevinkt: de toelichting staat ook op het openbare dashboard, zodra VNG de maand publiceert. "
        "Zet er dan geen namen of contactgegevens in.",
    )
    evidence_links = forms.CharField(
        label="Onderbouwing (links)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=EVIDENCE_LINKS_MAX * 501,
        help_text=f"Eén link per regel, beginnend met https:// of http://; hoogstens {EVIDENCE_LINKS_MAX} links.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, agreement_status: AgreementStatus, **kwargs):
        self.criteria = list(agreement_status.agreement.criteria.all())
        kwargs.setdefault(
            "initial",
            {
                "status": agreement_status.status,
                "criteria_met": _criteria_met_ids(agreement_status),
                "explanation": agreement_status.explanation,
                "explanation_public": agreement_status.explanation_public,
                "evidence_links": "\n".join(agreement_status.evidence_links),
                "version": agreement_status.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["criteria_met"].choices = [(criterion.pk, criterion.text) for criterion in self.criteria]

    def clean_criteria_met(self) -> list[Criterion]:
        chosen = set(self.cleaned_data["criteria_met"])
        return [criterion for criterion in self.criteria if criterion.pk in chosen]

    def clean_evidence_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence_links"].splitlines() if line.strip()]


def _criteria_met_ids(agreement_status: AgreementStatus) -> list[int]:
    """The ids of the criteria met: the `criteria_met_ids` annotation when the status came with it."""
    ids = getattr(agreement_status, "criteria_met_ids", None)
    return list(ids) if ids is not None else [criterion.pk for criterion in agreement_status.criteria_met.all()]


class DisagreeForm(forms.Form):
    """Niet akkoord: the reason is required; the service checks its length (and says so in Dutch)."""

    reason = forms.CharField(
        label="Waarom bent u het niet eens met deze status?",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": AFSTEMMING_REASON_MAX_LENGTH}),
        help_text=f"Verplicht; hooguit {AFSTEMMING_REASON_MAX_LENGTH} tekens. De regio-adviseur krijgt uw reden te zien.",
        error_messages={"required": "Vul de reden in waarom u het niet eens bent."},
        strip=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Reactie",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=f"Hooguit {COMMENT_MAX_LENGTH} tekens. Zichtbaar voor de regio, haar regio-adviseurs en de VNG.",
        error_messages={"required": "Vul uw reactie in."},
        strip=False,
    )
