import django_filters
from django.db.models import Q

from agreements.models import AgreementStatus, Status
from regions.models import ContactPerson


class RegionFilterMixin(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="Regio (code of slug)")

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region__code__iexact=value) | Q(region__slug=value))


class StatusFilter(RegionFilterMixin):
    agreement = django_filters.NumberFilter(field_name="agreement__number", label="Afspraak (nummer)")
    status = django_filters.TypedChoiceFilter(choices=Status.choices, coerce=int, label="Status")

    class Meta:
        model = AgreementStatus
        fields = ["region", "agreement", "status"]


class ContactFilter(RegionFilterMixin):
    class Meta:
        model = ContactPerson
        fields = ["region", "kind", "position"]
