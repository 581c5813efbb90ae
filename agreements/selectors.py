"""Reads for agreements and statuses, each tuned for the page or endpoint that uses it (fixed query count)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Aggregate, Count, F, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from accounts.roles import is_vng_or_beheerder, user_region_ids
from agreements.models import Afstemming, AfstemmingStep, Agreement, AgreementStatus, Criterion, Status, StatusChange, StatusComment
from regions.models import ContactPerson, Region


def agreement_list() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related("criteria")


def status_list() -> QuerySet[AgreementStatus]:
    """Every region × agreement status; criteria_met is prefetched, so reading their orders costs nothing."""
    return AgreementStatus.objects.select_related("region", "agreement").prefetch_related("criteria_met")


def status_list_with_criteria_counts() -> QuerySet[AgreementStatus]:
    """Statuses with `criteria_total` and `criteria_met_count`, to tell whether Gerealiseerd is allowed."""
    return AgreementStatus.objects.select_related("region", "agreement").annotate(
        criteria_total=Count("agreement__criteria", distinct=True),
        criteria_met_count=Count("criteria_met", distinct=True),
    )


def region_status_history(*, region: Region) -> QuerySet[StatusChange]:
    """Every status change of `region`, newest first."""
    return (
        StatusChange.objects.filter(agreement_status__region=region)
        .select_related("agreement_status__agreement", "changed_by")
        .order_by("-changed_at", "-id")
    )


class _JSONList(Aggregate):
    """A group's values as a JSON list: jsonb_agg on PostgreSQL, json_group_array on SQLite (the demo's)."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def criteria_met_ids() -> Coalesce:
    """The ids of a status's criteria met, as an annotation (`criteria_met_ids`, a list): read with the row itself,
    so an edit neither prefetches them nor joins criteria and agreements to compare them."""
    met = AgreementStatus.criteria_met.through.objects.filter(agreementstatus_id=OuterRef("pk"))
    ids = met.values("agreementstatus_id").annotate(ids=_JSONList("criterion_id")).values("ids")
    return Coalesce(Subquery(ids), Value([], output_field=JSONField()))


def agreement_status_for_edit(*, region: Region, number: int) -> AgreementStatus:
    """The status of agreement `number` in `region` for its edit form: the agreement with its criteria (one query
    besides the row's), `criteria_met_ids`, and `region` as given. Raises AgreementStatus.DoesNotExist."""
    agreement_status = (
        AgreementStatus.objects.select_related("agreement")
        .prefetch_related(Prefetch("agreement__criteria", queryset=Criterion.objects.order_by("order")))
        .annotate(criteria_met_ids=criteria_met_ids())
        .get(region=region, agreement__number=number)
    )
    agreement_status.region = region
    return agreement_status


# --- Peers: regions further along on an agreement (current statuses, not a snapshot) ---


def _with_ambtelijk_aanspreekpunt(statuses: QuerySet[AgreementStatus]) -> QuerySet[AgreementStatus]:
    """Peers with what they did (criteria met; explanation and evidence are fields) and their ambtelijk
    aanspreekpunten, primair before vervanger, in `region.ambtelijk_aanspreekpunten`."""
    ambtelijk = ContactPerson.objects.filter(kind=ContactPerson.Kind.AMBTELIJK).order_by("position")  # primair, vervanger
    return (
        statuses.select_related("region", "agreement")
        .prefetch_related(
            Prefetch("region__contacts", queryset=ambtelijk, to_attr="ambtelijk_aanspreekpunten"),
            "criteria_met",
        )
        .order_by("-status", "region__name")
    )


def peers_further_along(region: Region | None, agreement_number: int) -> list[AgreementStatus]:
    """The regions with a higher (current) status on the agreement than `region`, furthest first, each with
    its ambtelijk aanspreekpunten in `region.ambtelijk_aanspreekpunten`. Without a region: all regions."""
    statuses = AgreementStatus.objects.filter(agreement__number=agreement_number)
    if region is not None:
        own = statuses.filter(region=region).values_list("status", flat=True).first() or Status.ONBEKEND
        statuses = statuses.filter(status__gt=own).exclude(region=region)
    return list(_with_ambtelijk_aanspreekpunt(statuses))


# A region's page names the first few peers per agreement; the peers page of the agreement lists them all.
PEERS_ON_REGION_PAGE = 5


@dataclass(frozen=True)
class PeerGroup:
    agreement: Agreement
    own_status: int
    count: int  # every region further along
    peers: list[AgreementStatus]  # the first PEERS_ON_REGION_PAGE of them, furthest first
    furthest_behind: bool  # the region's lowest status of all agreements, with peers to learn from: opened on its page


def peers_by_agreement(region: Region) -> list[PeerGroup]:
    """For a region's page: per agreement how many regions are further along and the furthest few, in five
    queries and a fixed number of rows whatever the number of regions."""
    agreements = list(Agreement.objects.order_by("number"))
    own = dict(AgreementStatus.objects.filter(region=region).values_list("agreement_id", "status"))
    further = Q(pk__in=[])
    for agreement in agreements:
        further |= Q(agreement=agreement, status__gt=own.get(agreement.pk, Status.ONBEKEND))
    statuses = AgreementStatus.objects.filter(further).exclude(region=region)
    counts = dict(statuses.order_by().values("agreement_id").annotate(count=Count("pk")).values_list("agreement_id", "count"))
    first = statuses.annotate(
        place=Window(RowNumber(), partition_by=F("agreement_id"), order_by=[F("status").desc(), F("region__name").asc()])
    ).filter(place__lte=PEERS_ON_REGION_PAGE)
    peers: dict[int, list[AgreementStatus]] = defaultdict(list)
    for status in _with_ambtelijk_aanspreekpunt(first):
        peers[status.agreement_id].append(status)
    lowest = min((own.get(agreement.pk, Status.ONBEKEND) for agreement in agreements), default=Status.ONBEKEND)
    return [
        PeerGroup(
            agreement=agreement,
            own_status=own.get(agreement.pk, Status.ONBEKEND),
            count=counts.get(agreement.pk, 0),
            peers=peers[agreement.pk],
            furthest_behind=own.get(agreement.pk, Status.ONBEKEND) == lowest and counts.get(agreement.pk, 0) > 0,
        )
        for agreement in agreements
    ]


# --- Afstemming ---

OPEN_AFSTEMMING = [Afstemming.TER_AFSTEMMING, Afstemming.NIET_AKKOORD]


def afstemming_status(*, region: Region, number: int) -> AgreementStatus:
    """One status with its afstemming steps and comments, oldest first (four queries); raises DoesNotExist."""
    return (
        AgreementStatus.objects.select_related("region", "agreement", "updated_by", "afstemming_by")
        .prefetch_related(
            Prefetch("afstemming_steps", queryset=AfstemmingStep.objects.select_related("by").order_by("at", "id")),
            Prefetch("comments", queryset=StatusComment.objects.select_related("author").order_by("created_at", "id")),
        )
        .get(region=region, agreement__number=number)
    )


def _with_disagreement_reason(statuses: QuerySet[AgreementStatus]) -> QuerySet[AgreementStatus]:
    """`disagreement_reason`: the reason of the niet-akkoord the status stands on now (empty otherwise)."""
    current_step = AfstemmingStep.objects.filter(
        agreement_status=OuterRef("pk"), step=Afstemming.NIET_AKKOORD, at=OuterRef("afstemming_at")
    ).order_by("-id")
    return statuses.annotate(disagreement_reason=Subquery(current_step.values("reason")[:1]))


def afstemming_open_for_regions(*, region_ids) -> list[AgreementStatus]:
    """What waits in these regions (ter afstemming or niet akkoord), by region and agreement, in one query."""
    return list(
        _with_disagreement_reason(
            AgreementStatus.objects.filter(region_id__in=region_ids, afstemming__in=OPEN_AFSTEMMING)
            .select_related("region", "agreement", "afstemming_by")
            .order_by("region__name", "agreement__number")
        )
    )


def afstemming_overview(*, user) -> list[AgreementStatus]:
    """Every status ter afstemming or niet akkoord that `user` follows (a regio-adviseur: their regions; VNG staff:
    every region), the one waiting longest first, in one query."""
    statuses = AgreementStatus.objects.filter(afstemming__in=OPEN_AFSTEMMING)
    if not is_vng_or_beheerder(user):
        statuses = statuses.filter(region_id__in=user_region_ids(user))
    return list(
        _with_disagreement_reason(
            statuses.select_related("region", "agreement", "afstemming_by", "updated_by").order_by("afstemming_at", "id")
        )
    )
