from django import forms

# A region or municipality name is at most 100 characters (regions.models); a longer filter cannot match.
REGION_FILTER_MAX_LENGTH = 100


class RegionFilterForm(forms.Form):
    """The filter of the region list: part of a region's or its centrumgemeente's name."""

    zoek = forms.CharField(
        label="Regio of centrumgemeente",
        required=False,
        max_length=REGION_FILTER_MAX_LENGTH,
        error_messages={"max_length": "Vul hoogstens %(limit_value)d tekens in (u vulde er %(show_value)d in)."},
    )


class MailSettingsForm(forms.Form):
    afstemming_mail = forms.BooleanField(
        label="Stuur mij e-mail over afstemming",
        required=False,
        help_text="Hooguit één bericht per dag, en alleen als er iets nieuws is.",
    )
