"""Reads for the public dashboard. Everything comes from a released snapshot and the reference data (regions'
names, agreements and their criteria): never contacts, support actions, comments or a live status."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from agreements.models import Afstemming, Agreement
from dashboard.models import DashboardSnapshot, SnapshotCell, SnapshotRegion
from dashboard.selectors import AFSTEMMING_BADGES, STATUS_BADGES, AfstemmingBadge, StatusBadge
from regions.models import Region

# Regions named per agreement under "Wie is verder?" on a region's page; the agreement's page lists them all.
PEERS_SHOWN = 5


@dataclass(frozen=True)
class PublicAgreementRow:
    """One agreement on a region's public page, as frozen in the snapshot."""

    agreement: Agreement
    badge: StatusBadge
    afstemming: AfstemmingBadge  # whether the region had agreed with it at the peildatum (never its reasons)
    criteria_met: int
    criteria_total: int
    explanation: str  # only what its author marked "openbaar"
    peers: list[Region]  # the regions furthest along, at most PEERS_SHOWN
    peer_count: int


@dataclass(frozen=True)
class PublicRegion:
    region: Region
    score: SnapshotRegion
    rows: list[PublicAgreementRow]


def public_region(*, snapshot: DashboardSnapshot, region: Region) -> PublicRegion | None:
    """The region's statuses in `snapshot` with, per agreement, who is further along; None when the snapshot has
    no such region (it came later). Four queries, whatever the number of regions."""
    score = SnapshotRegion.objects.filter(snapshot=snapshot, region=region).first()
    if score is None:
        return None
    agreements = list(Agreement.objects.order_by("number").annotate(criteria_total=Count("criteria")))
    own = {cell.agreement_id: cell for cell in SnapshotCell.objects.filter(snapshot=snapshot, region=region)}
    further = (
        SnapshotCell.objects.filter(snapshot=snapshot)
        .exclude(region=region)
        .select_related("region")
        .order_by("agreement_id", "-status", "-criteria_met", "region__name")
        .only("agreement_id", "status", "criteria_met", "region__name", "region__slug")
    )
    peers: dict[int, list[Region]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for cell in further:
        mine = own.get(cell.agreement_id)
        if cell.status > (mine.status if mine else 0):
            counts[cell.agreement_id] += 1
            if len(peers[cell.agreement_id]) < PEERS_SHOWN:
                peers[cell.agreement_id].append(cell.region)
    rows = []
    for agreement in agreements:
        cell = own.get(agreement.pk)
        rows.append(
            PublicAgreementRow(
                agreement=agreement,
                badge=STATUS_BADGES[cell.status if cell else 0],
                afstemming=AFSTEMMING_BADGES[cell.afstemming if cell else Afstemming.NIET_GEVRAAGD],
                criteria_met=cell.criteria_met if cell else 0,
                criteria_total=agreement.criteria_total,
                explanation=cell.public_explanation if cell else "",
                peers=peers[agreement.pk],
                peer_count=counts[agreement.pk],
            )
        )
    return PublicRegion(region=region, score=score, rows=rows)


@dataclass(frozen=True)
class StatusGroup:
    badge: StatusBadge
    regions: list[Region]


def public_agreement(*, snapshot: DashboardSnapshot, agreement: Agreement) -> list[StatusGroup]:
    """The regions per status on `agreement` in `snapshot`, furthest along first (one query)."""
    cells = (
        SnapshotCell.objects.filter(snapshot=snapshot, agreement=agreement)
        .select_related("region")
        .only("status", "region__name", "region__slug")
        .order_by("region__name")
    )
    groups: dict[int, list[Region]] = defaultdict(list)
    for cell in cells:
        groups[cell.status].append(cell.region)
    return [StatusGroup(badge=badge, regions=groups[badge.status]) for badge in reversed(STATUS_BADGES)]
