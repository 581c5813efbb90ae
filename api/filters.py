from datetime import date

import django_filters
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from agreements.models import Afstemming, AgreementStatus, Status
from dashboard.models import DashboardSnapshot
from regions.models import ContactPerson


class RegionFilterMixin(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="Regio (code of slug)")

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region__code__iexact=value) | Q(region__slug=value))


class StatusFilter(RegionFilterMixin):
    agreement = django_filters.NumberFilter(field_name="agreement__number", label="Afspraak (nummer)")
    status = django_filters.TypedChoiceFilter(choices=Status.choices, coerce=int, label="Status")
    afstemming = django_filters.ChoiceFilter(choices=Afstemming.choices, label="Afstemming met de regio")

    class Meta:
        model = AgreementStatus
        fields = ["region", "agreement", "status", "afstemming"]


class ContactFilter(RegionFilterMixin):
    class Meta:
        model = ContactPerson
        fields = ["region", "kind", "position"]


class SnapshotFilter(django_filters.FilterSet):
    month = django_filters.CharFilter(method="filter_month", label="Maand (JJJJ-MM)")

    class Meta:
        model = DashboardSnapshot
        fields = ["month"]

    def filter_month(self, queryset, name, value):
        try:
            month = date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError({"month": [f"“{value[:20]}” is geen geldige maand; gebruik de vorm JJJJ-MM."]}) from None
        return queryset.filter(month=month)
