from django import forms


class StatusImportForm(forms.Form):
    file = forms.FileField(
        label="Excel-bestand (.xlsx)",
        help_text="Gebruik de indeling van de export 'huidige stand'. U ziet eerst welke statussen veranderen.",
    )
