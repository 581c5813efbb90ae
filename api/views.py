from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.permissions import personal_data
from agreements.selectors import agreement_list, status_list
from agreements.services import status_update
from api.filters import ContactFilter, SnapshotFilter, StatusFilter
from api.pagination import SnapshotPagination
from api.permissions import CanEditRegionOnWrite, CanSeeContacts, HasRole
from api.serializers import (
    AgreementSerializer,
    ConflictSerializer,
    ContactSerializer,
    RegionSerializer,
    SnapshotSerializer,
    StatusPatchSerializer,
    StatusSerializer,
    StatusUpdateSerializer,
)
from dashboard.selectors import snapshot_list
from regions.selectors import contact_list, region_list

# Path parameters as they really are (the URL patterns only say "digits"); an address outside them is a JSON 404.
_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def _path(name: str, schema: dict, description: str, actions=("retrieve",)) -> dict:
    parameter = OpenApiParameter(name, type=schema, location=OpenApiParameter.PATH, description=description)
    return {action: extend_schema(parameters=[parameter]) for action in actions}


WRITE_RESPONSES = {
    200: StatusSerializer,
    400: OpenApiResponse(description="Ongeldige invoer; de fouten staan per veld."),
    403: OpenApiResponse(description="U mag de statussen van deze regio niet wijzigen."),
    409: OpenApiResponse(ConflictSerializer, description="De status is intussen door iemand anders gewijzigd."),
}


@extend_schema_view(**_path("slug", {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}, "Slug van de regio"))
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 44 MO-BW regions with their municipalities."""

    queryset = region_list()
    serializer_class = RegionSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"  # a slug; anything else (e.g. a NUL byte) is a 404, not a query
    filterset_fields = ["code"]


@extend_schema_view(**_path("number", {"type": "integer", "minimum": 1, "maximum": 8}, "Nummer van de afspraak"))
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """The eight NvO agreements with their minimum criteria."""

    queryset = agreement_list()
    serializer_class = AgreementSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None


@extend_schema_view(**_path("id", _ID, "Id van de status", ("retrieve", "update", "partial_update")))
class StatusViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The current status of every region × agreement; PUT/PATCH changes one (history is recorded)."""

    queryset = status_list()
    serializer_class = StatusSerializer
    filterset_class = StatusFilter
    permission_classes = [HasRole, CanEditRegionOnWrite]
    parser_classes = [JSONParser]
    lookup_value_regex = r"[0-9]+"

    @extend_schema(request=StatusUpdateSerializer, responses=WRITE_RESPONSES)
    def update(self, request, *args, partial=False, **kwargs):
        agreement_status = self.get_object()
        serializer_class = StatusPatchSerializer if partial else StatusUpdateSerializer
        serializer = serializer_class(data=request.data, context={"agreement_status": agreement_status})
        serializer.is_valid(raise_exception=True)
        current = {
            "status": agreement_status.status,
            "criteria_met": list(agreement_status.criteria_met.all()),
            "explanation": agreement_status.explanation,
            "explanation_public": agreement_status.explanation_public,
            "evidence_links": agreement_status.evidence_links,
        }
        fields = current | serializer.validated_data
        status_update(
            agreement_status=agreement_status,
            expected_version=fields["version"],
            user=request.user,
            status=fields["status"],
            criteria_met=fields["criteria_met"],
            explanation=fields["explanation"],
            explanation_public=fields["explanation_public"],
            evidence_links=fields["evidence_links"],
        )
        return Response(StatusSerializer(status_list().get(pk=agreement_status.pk)).data)

    @extend_schema(request=StatusPatchSerializer, responses=WRITE_RESPONSES)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@method_decorator(personal_data, name="dispatch")
@extend_schema_view(**_path("id", _ID, "Id van het aanspreekpunt"))
class ContactViewSet(viewsets.ReadOnlyModelViewSet):
    """The regions' aanspreekpunten, with personal data: only for roles that may see contacts."""

    queryset = contact_list()
    serializer_class = ContactSerializer
    permission_classes = [HasRole, CanSeeContacts]
    filterset_class = ContactFilter


@extend_schema_view(**_path("id", _ID, "Id van de snapshot"))
class SnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    """The monthly dashboard snapshots, newest first: aggregates, score per region and the status per cell."""

    queryset = snapshot_list()
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    pagination_class = SnapshotPagination
    lookup_value_regex = r"[0-9]+"
