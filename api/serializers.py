"""Thin serializers: shapes of the API's JSON. Reads come from selectors, writes go through services."""

from rest_framework import serializers

from agreements.models import Agreement, AgreementStatus, Criterion, Status
from dashboard.models import DashboardSnapshot, SnapshotCell, SnapshotRegion
from regions.models import ContactPerson, Municipality, Region


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["name", "cbs_code", "is_centrumgemeente"]


class RegionSerializer(serializers.ModelSerializer):
    centrumgemeente = serializers.SerializerMethodField()
    municipalities = MunicipalitySerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "slug", "name", "centrumgemeente", "municipalities"]

    def get_centrumgemeente(self, region) -> str | None:
        return region.centrumgemeente.name if region.centrumgemeente else None


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["order", "text"]


class AgreementSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = ["number", "title", "text", "criteria"]


class StatusSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text="Regiocode")
    region_slug = serializers.CharField(source="region.slug")
    agreement = serializers.IntegerField(source="agreement.number", help_text="Nummer van de afspraak (1–8)")
    status_label = serializers.CharField(source="get_status_display")
    criteria_met = serializers.SerializerMethodField(help_text="Volgnummers van de minimumcriteria die zijn voldaan")

    class Meta:
        model = AgreementStatus
        fields = [
            "id",
            "region",
            "region_slug",
            "agreement",
            "status",
            "status_label",
            "criteria_met",
            "explanation",
            "explanation_public",
            "evidence_links",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_criteria_met(self, agreement_status) -> list[int]:
        return sorted(c.order for c in agreement_status.criteria_met.all())


class StatusUpdateSerializer(serializers.Serializer):
    """A new state for one status. `version` is the version the client read; a stale one gets 409."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    status = serializers.ChoiceField(choices=Status.choices)
    criteria_met = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=32767),
        max_length=100,
        help_text="Volgnummers van de minimumcriteria die zijn voldaan",
    )
    explanation = serializers.CharField(allow_blank=True, max_length=10_000, trim_whitespace=False)
    # Optional also for PUT (older clients leave it out): left out, it stays as it is.
    explanation_public = serializers.BooleanField(
        required=False, help_text="De toelichting mag op het openbare dashboard staan (zodra VNG de maand publiceert)."
    )
    evidence_links = serializers.ListField(child=serializers.CharField(max_length=500, allow_blank=True), max_length=50)

    def validate_criteria_met(self, orders):
        criteria = {c.order: c for c in self.context["agreement_status"].agreement.criteria.all()}
        unknown = sorted(set(orders) - set(criteria))
        if unknown:
            raise serializers.ValidationError(f"Deze afspraak heeft geen minimumcriterium met volgnummer {', '.join(map(str, unknown))}.")
        return [criteria[order] for order in sorted(set(orders))]


class StatusPatchSerializer(StatusUpdateSerializer):
    """PATCH: only `version` is required; a field left out keeps its current value."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            field.required = name == "version"
        return fields


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = StatusSerializer()


class ContactSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text="Regiocode")

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "region",
            "kind",
            "position",
            "name",
            "function",
            "organisation",
            "email",
            "phone",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class SnapshotRegionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text="Regiocode")
    region_slug = serializers.CharField(source="region.slug")

    class Meta:
        model = SnapshotRegion
        fields = ["region", "region_slug", "score", "previous_score", "lagging_reason"]
        read_only_fields = fields


class SnapshotCellSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text="Regiocode")
    agreement = serializers.IntegerField(source="agreement.number", help_text="Nummer van de afspraak (1–8)")

    class Meta:
        model = SnapshotCell
        fields = ["region", "agreement", "status", "criteria_met", "public_explanation"]
        read_only_fields = fields


class SnapshotSerializer(serializers.ModelSerializer):
    regions = SnapshotRegionSerializer(
        many=True,
        read_only=True,
        help_text="Per regio de score (som van de statussen), die van de vorige maand en "
        "waarom de regio achterblijft (leeg als dat niet zo is)",
    )
    cells = SnapshotCellSerializer(many=True, read_only=True, help_text="De status per regio × afspraak")

    class Meta:
        model = DashboardSnapshot
        fields = [
            "id",
            "month",
            "peildatum",
            "built_at",
            "region_count",
            "max_score",
            "national_score",
            "lagging_threshold",
            "agreement_summary",
            "national_counts",
            "released_at",
            "regions",
            "cells",
        ]
        read_only_fields = fields
