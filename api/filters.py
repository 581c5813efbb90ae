import re
from datetime import date

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from agreements.models import Afstemming, AgreementStatus, Status
from dashboard.models import DashboardSnapshot
from regions.models import ContactPerson

AGREEMENT_NUMBERS = range(1, 9)  # the DB allows agreement numbers 1–8 (constraint on Agreement.number)
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-12"})
class MonthFilter(django_filters.CharFilter):
    """A month as JJJJ-MM (the schema carries the pattern, so clients and schemathesis know it)."""


class StrictFilterSet(django_filters.FilterSet):
    """A parameter with a fixed set of values or a pattern that is present but empty gets 400, not "all"."""

    def filter_queryset(self, queryset):
        empty = [
            name
            for name, value in self.data.items()
            if value == "" and isinstance(self.filters.get(name), (django_filters.ChoiceFilter, MonthFilter))
        ]
        if empty:
            raise ValidationError({name: ["Vul een waarde in, of laat de parameter weg."] for name in empty})
        return super().filter_queryset(queryset)


class RegionFilterMixin(StrictFilterSet):
    region = django_filters.CharFilter(method="filter_region", label="Regio (code of slug)")

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region__code__iexact=value) | Q(region__slug=value))


class StatusFilter(RegionFilterMixin):
    agreement = django_filters.TypedChoiceFilter(
        field_name="agreement__number",
        choices=[(n, n) for n in AGREEMENT_NUMBERS],
        coerce=int,
        label="Afspraak (nummer 1–8)",
    )
    status = django_filters.TypedChoiceFilter(choices=Status.choices, coerce=int, label="Status")
    afstemming = django_filters.ChoiceFilter(choices=Afstemming.choices, label="Afstemming met de regio")

    class Meta:
        model = AgreementStatus
        fields = ["region", "agreement", "status", "afstemming"]


class ContactFilter(RegionFilterMixin):
    class Meta:
        model = ContactPerson
        fields = ["region", "kind", "position"]


class SnapshotFilter(StrictFilterSet):
    month = MonthFilter(method="filter_month", label="Maand (JJJJ-MM)")

    class Meta:
        model = DashboardSnapshot
        fields = ["month"]

    def filter_month(self, queryset, name, value):
        try:
            if not re.fullmatch(MONTH_PATTERN, value):
                raise ValueError(value)
            month = date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError({"month": [f"“{value[:20]}” is geen geldige maand; gebruik de vorm JJJJ-MM."]}) from None
        return queryset.filter(month=month)
