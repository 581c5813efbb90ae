"""Thin serializers: shapes of the API's JSON. Reads come from selectors, writes go through services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import Afstemming, Agreement, AgreementStatus, Criterion, Status
from agreements.services import EVIDENCE_LINK_MAX_LENGTH
from core.text import EVIDENCE_LINKS_MAX, EXPLANATION_MAX_LENGTH
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
        fields = ["code", "slug", "name", "centrumgemeente", "municipalities", "source", "source_date", "source_firmness"]

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
    afstemming = serializers.ChoiceField(
        choices=Afstemming.choices,
        help_text="Afstemming met de regio: nog niet gevraagd, ter afstemming (na elke wijziging), afgestemd of niet akkoord",
    )
    afstemming_label = serializers.CharField(source="get_afstemming_display")

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
            "afstemming",
            "afstemming_label",
            "afstemming_at",
        ]
        read_only_fields = fields

    def get_criteria_met(self, agreement_status) -> list[int]:
        return sorted(c.order for c in agreement_status.criteria_met.all())


# JSON types are taken as the schema states them: DRF would read 0 as the text "0" and "1" as the number 1.
class JsonIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class JsonTextField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StatusChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


# What `status_update` accepts, stated in the schema so that clients (and schemathesis) know it before they
# send; the service checks it and words the messages.
@extend_schema_field({"type": "string", "maxLength": EXPLANATION_MAX_LENGTH, "pattern": "^[^\\x00]*$"})
class ExplanationField(JsonTextField):
    pass


@extend_schema_field({"type": "string", "maxLength": EVIDENCE_LINK_MAX_LENGTH, "pattern": "^(https?://[^\\s\\x00]+)?$"})
class EvidenceLinkField(JsonTextField):
    pass


class StatusUpdateSerializer(serializers.Serializer):
    """A new state for one status. `version` is the version the client read; a stale one gets 409."""

    version = JsonIntegerField(min_value=1, max_value=2**31 - 1)
    status = StatusChoiceField(choices=Status.choices)
    criteria_met = serializers.ListField(
        child=JsonIntegerField(min_value=1, max_value=32767),
        max_length=100,
        help_text="Volgnummers van de minimumcriteria die zijn voldaan",
    )
    explanation = ExplanationField(allow_blank=True, max_length=EXPLANATION_MAX_LENGTH, trim_whitespace=False)
    # Optional also for PUT (older clients leave it out): left out, it stays as it is.
    explanation_public = serializers.BooleanField(
        required=False, help_text="De toelichting mag op het openbare dashboard staan (zodra VNG de maand publiceert)."
    )
    evidence_links = serializers.ListField(
        child=EvidenceLinkField(max_length=EVIDENCE_LINK_MAX_LENGTH, allow_blank=True),
        max_length=EVIDENCE_LINKS_MAX,
        error_messages={"max_length": "Geef hoogstens {max_length} links."},
        help_text="Links die beginnen met http:// of https://; een lege regel wordt overgeslagen",
    )

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
        fields = [
            "region",
            "region_slug",
            "region_name",
            "centrumgemeente",
            "municipalities",
            "councils_adopted",
            "score",
            "previous_score",
            "lagging_reason",
            "afgestemd",
        ]
        read_only_fields = fields


class SnapshotCellSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text="Regiocode")
    agreement = serializers.IntegerField(source="agreement.number", help_text="Nummer van de afspraak (1–8)")

    class Meta:
        model = SnapshotCell
        fields = ["region", "agreement", "status", "criteria_met", "afstemming", "public_explanation"]
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
            "afgestemd_count",
            "niet_akkoord_count",
            "released_at",
            "regions",
            "cells",
        ]
        read_only_fields = fields
