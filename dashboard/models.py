from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import LessThanOrEqual

from agreements.models import Afstemming, Status


class DashboardSnapshot(models.Model):
    """The frozen national state of one month, with everything the dashboard pages show precomputed.

    `peildatum` is the moment whose data the snapshot shows: the start of the month (1st, 00:00
    Europe/Amsterdam) for a past month, the moment of the rebuild for the current month. The monthly job
    runs at 00:05 on the 1st, so its snapshot shows the state with which the month began.
    """

    month = models.DateField("maand", unique=True, help_text="De eerste dag van de maand.")
    peildatum = models.DateTimeField("peildatum")
    built_at = models.DateTimeField("laatst ververst")
    region_count = models.PositiveIntegerField("aantal regio's")
    max_score = models.PositiveIntegerField("maximale score per regio")
    national_score = models.FloatField("landelijke score (%)")
    lagging_threshold = models.PositiveIntegerField("grens laagste kwartiel")
    # [{"number", "title", "counts": [n per status 0..4], "share_gerealiseerd"}], one per agreement.
    agreement_summary = models.JSONField("samenvatting per afspraak", default=list, blank=True)
    national_counts = models.JSONField("landelijk aantal per status", default=list, blank=True)
    # Of all region × agreement statuses: how many the regions had agreed with, and how many they disagreed with.
    afgestemd_count = models.PositiveIntegerField("statussen afgestemd", default=0)
    niet_akkoord_count = models.PositiveIntegerField("statussen niet akkoord", default=0)
    # Private until a VNG-medewerker or Beheerder releases it (dashboard.services.snapshot_release); the public
    # dashboard shows the newest released month.
    released_at = models.DateTimeField("gepubliceerd op", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gepubliceerd door",
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = "dashboardmomentopname"
        verbose_name_plural = "dashboardmomentopnamen"
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="snapshot_month_is_first_day"),
            # Agreed and disagreed statuses together are at most all statuses (max_score is 4 per agreement).
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    (models.F("afgestemd_count") + models.F("niet_akkoord_count")) * Status.GEREALISEERD,
                    models.F("region_count") * models.F("max_score"),
                ),
                name="snapshot_afstemming_counts_fit",
            ),
            models.CheckConstraint(condition=Q(national_score__gte=0, national_score__lte=100), name="snapshot_national_score_percentage"),
            # Whoever released it may be gone later (SET_NULL), but nothing is released by nobody.
            models.CheckConstraint(
                condition=Q(released_at__isnull=False) | Q(released_by__isnull=True), name="snapshot_released_by_only_when_released"
            ),
        ]

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def __str__(self):
        return f"Dashboard {self.month:%Y-%m}"


class SnapshotCell(models.Model):
    """The status of one region × agreement as frozen in a snapshot."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="cells")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="+")
    status = models.PositiveSmallIntegerField("status", choices=Status.choices)
    criteria_met = models.PositiveSmallIntegerField("aantal criteria voldaan", default=0)
    afstemming = models.CharField("afstemming", max_length=20, choices=Afstemming.choices, default=Afstemming.NIET_GEVRAAGD)
    # The explanation as it was at the peildatum, only where its author ticked "openbaar"; otherwise empty.
    public_explanation = models.TextField("openbare toelichting", blank=True)

    class Meta:
        verbose_name = "cel van een momentopname"
        verbose_name_plural = "cellen van momentopnamen"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "region", "agreement"], name="one_cell_per_snapshot_region_agreement"),
            models.CheckConstraint(condition=Q(status__gte=0, status__lte=4), name="snapshot_cell_status_on_scale"),
            models.CheckConstraint(condition=Q(afstemming__in=Afstemming.values), name="snapshot_cell_afstemming_on_scale"),
        ]


class SnapshotRegion(models.Model):
    """One region's score in a snapshot, its move since the previous month and why it lags behind (if it does)."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="regions")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField("score")
    previous_score = models.PositiveSmallIntegerField("score vorige maand")
    lagging_reason = models.TextField("reden achterblijver", blank=True)
    # Network meetings in the 12 months up to the peildatum, and how many of them the region attended.
    meetings_attended = models.PositiveSmallIntegerField("bijeenkomsten bijgewoond", default=0)
    meetings_held = models.PositiveSmallIntegerField("bijeenkomsten gehouden", default=0)
    # The region as the division of the peildatum had it: a past month shows the regions as they were.
    region_name = models.CharField("regionaam op de peildatum", max_length=100, blank=True)
    centrumgemeente = models.CharField("centrumgemeente op de peildatum", max_length=100, blank=True)
    municipalities = models.JSONField("gemeenten op de peildatum", default=list, blank=True)
    councils_adopted = models.PositiveSmallIntegerField("raden met vastgestelde regiovisie", default=0)
    afgestemd = models.PositiveSmallIntegerField("statussen afgestemd", default=0)

    class Meta:
        ordering = ["region__name"]
        verbose_name = "regio in een momentopname"
        verbose_name_plural = "regio's in momentopnamen"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "region"], name="one_score_per_snapshot_region"),
            models.CheckConstraint(condition=Q(meetings_attended__lte=models.F("meetings_held")), name="attended_at_most_held"),
            models.CheckConstraint(condition=Q(afgestemd__lte=8), name="snapshot_region_afgestemd_at_most_agreements"),
        ]

    @property
    def council_count(self) -> int:
        return len(self.municipalities)

    @property
    def change(self) -> int:
        return self.score - self.previous_score


class MonthlyDigest(models.Model):
    """That the monthly digest of a month was e-mailed: at most one per month, whichever run sends it.

    The day-1 run, the hourly catch-up and a redelivered message may all reach the digest of the same month;
    the unique month lets exactly one of them send it (see dashboard.services.dashboard_digest_send_once).
    """

    month = models.DateField("maand", unique=True, help_text="De eerste dag van de maand.")
    sent_at = models.DateTimeField("verstuurd op")
    recipients = models.PositiveIntegerField("aantal ontvangers", default=0)

    class Meta:
        ordering = ["-month"]
        verbose_name = "verstuurde maandmail"
        verbose_name_plural = "verstuurde maandmails"
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="digest_month_is_first_day"),
        ]

    def __str__(self):
        return f"Maandmail {self.month:%Y-%m}"
