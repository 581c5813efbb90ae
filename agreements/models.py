from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import VersionedRecord
from core.text import EXPLANATION_MAX_LENGTH, bounded_text, text_length_constraint


class Status(models.IntegerChoices):
    """The fixed implementation scale; a higher value means further along."""

    ONBEKEND = 0, "Onbekend"
    NIET_GESTART = 1, "Niet gestart"
    IN_VOORBEREIDING = 2, "In voorbereiding"
    IN_UITVOERING = 3, "In uitvoering"
    GEREALISEERD = 4, "Gerealiseerd"


def region_score(statuses: Iterable[int]) -> int:
    """How far a region is: the sum of its statuses (Onbekend 0 … Gerealiseerd 4), at most 4 × the agreements.

    The one definition of the score: the dashboard, its snapshots and the spreadsheet exports all use it.
    """
    return sum(statuses)


class Agreement(models.Model):
    """One of the eight agreements (afspraken) of the Norm voor Opdrachtgeverschap."""

    number = models.PositiveSmallIntegerField("nummer", unique=True)
    title = models.CharField("titel", max_length=120)
    text = models.TextField("tekst")

    class Meta:
        ordering = ["number"]
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=8),
                name="agreement_number_1_to_8",
                violation_error_message="Het nummer van een afspraak ligt tussen 1 en 8.",
            ),
        ]

    def __str__(self):
        return f"Afspraak {self.number}: {self.title}"


class Criterion(models.Model):
    """A minimum criterion from the VNG Routekaart for one agreement (an ordered checklist item)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="criteria", verbose_name="afspraak")
    order = models.PositiveSmallIntegerField("volgorde")
    text = models.TextField("tekst")

    class Meta:
        ordering = ["agreement__number", "order"]
        verbose_name = "minimumcriterium"
        verbose_name_plural = "minimumcriteria"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="criterion_order_unique_per_agreement"),
        ]

    def __str__(self):
        return f"{self.agreement.number}.{self.order} {self.text}"


class Afstemming(models.TextChoices):
    """Whether the region agrees with what is recorded about it (see README "Afstemming met de regio")."""

    NIET_GEVRAAGD = "niet_gevraagd", "Nog niet gevraagd"
    TER_AFSTEMMING = "ter_afstemming", "Ter afstemming"
    AFGESTEMD = "afgestemd", "Afgestemd"
    NIET_AKKOORD = "niet_akkoord", "Niet akkoord"


# Shown beside the label wherever an afstemming appears, so that it never reads by colour alone.
AFSTEMMING_ICONS = {
    Afstemming.NIET_GEVRAAGD: "–",
    Afstemming.TER_AFSTEMMING: "?",
    Afstemming.AFGESTEMD: "✓",
    Afstemming.NIET_AKKOORD: "✗",
}
# What an AfstemmingStep records: "nog niet gevraagd" is where a status starts, never a step.
AFSTEMMING_STEPS = [Afstemming.TER_AFSTEMMING, Afstemming.AFGESTEMD, Afstemming.NIET_AKKOORD]
AFSTEMMING_REASON_MAX_LENGTH = 1000
COMMENT_MAX_LENGTH = 1000


class AgreementStatus(VersionedRecord):
    """How far one region is with one agreement. `version` grows with every save (conflict detection).

    `afstemming` is whether the region agreed with this version; every change asks again (ter afstemming).
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="statuses", verbose_name="regio")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="statuses", verbose_name="afspraak")
    status = models.PositiveSmallIntegerField("status", choices=Status.choices, default=Status.ONBEKEND)
    criteria_met = models.ManyToManyField(Criterion, blank=True, related_name="+", verbose_name="criteria voldaan")
    explanation = models.TextField(
        "toelichting", blank=True, max_length=EXPLANATION_MAX_LENGTH, validators=bounded_text(EXPLANATION_MAX_LENGTH)
    )
    # Ticked by the author: the explanation may appear on the public dashboard (frozen into the snapshot).
    explanation_public = models.BooleanField("toelichting openbaar", default=False)
    evidence_links = models.JSONField("onderbouwing (links)", default=list, blank=True)
    # Set by status_update to the change's moment (an import or the demo may date it), never automatically.
    updated_at = models.DateTimeField("laatst gewijzigd", null=True, blank=True)
    afstemming = models.CharField("afstemming", max_length=20, choices=Afstemming.choices, default=Afstemming.NIET_GEVRAAGD)
    afstemming_at = models.DateTimeField("afstemming sinds", null=True, blank=True)
    afstemming_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="afstemming door",
    )

    class Meta:
        ordering = ["region__name", "agreement__number"]
        verbose_name = "status afspraak"
        verbose_name_plural = "statussen afspraken"
        constraints = [
            models.UniqueConstraint(fields=["region", "agreement"], name="one_status_per_region_agreement"),
            models.CheckConstraint(condition=Q(status__gte=0, status__lte=4), name="status_on_scale"),
            models.CheckConstraint(condition=Q(version__gte=1), name="status_version_positive"),
            text_length_constraint("explanation", EXPLANATION_MAX_LENGTH, name="status_explanation_bounded"),
            models.CheckConstraint(condition=Q(afstemming__in=Afstemming.values), name="status_afstemming_on_scale"),
            # Only a status nobody has changed yet has nothing to agree on; every change asks the region.
            models.CheckConstraint(
                condition=Q(afstemming=Afstemming.NIET_GEVRAAGD, version=1, afstemming_at__isnull=True)
                | (~Q(afstemming=Afstemming.NIET_GEVRAAGD) & Q(afstemming_at__isnull=False)),
                name="status_afstemming_asked_after_change",
            ),
        ]

    def __str__(self):
        return f"{self.region} – afspraak {self.agreement.number}: {self.get_status_display()}"

    @property
    def afstemming_icon(self) -> str:
        return AFSTEMMING_ICONS[self.afstemming]

    @property
    def awaits_region(self) -> bool:
        return self.afstemming == Afstemming.TER_AFSTEMMING


class StatusChange(models.Model):
    """Append-only history of an AgreementStatus: who, when, old → new. The app never edits or deletes it."""

    agreement_status = models.ForeignKey(AgreementStatus, on_delete=models.PROTECT, related_name="changes", verbose_name="status")
    version = models.PositiveIntegerField("versie na wijziging")
    changed_at = models.DateTimeField("tijdstip", db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="door",
    )
    old_status = models.PositiveSmallIntegerField("oude status", choices=Status.choices)
    new_status = models.PositiveSmallIntegerField("nieuwe status", choices=Status.choices)
    old_criteria = models.JSONField("oude criteria voldaan", default=list)
    new_criteria = models.JSONField("nieuwe criteria voldaan", default=list)
    old_explanation = models.TextField("oude toelichting", blank=True)
    new_explanation = models.TextField("nieuwe toelichting", blank=True)
    old_explanation_public = models.BooleanField("oude toelichting openbaar", default=False)
    new_explanation_public = models.BooleanField("nieuwe toelichting openbaar", default=False)
    old_evidence_links = models.JSONField("oude onderbouwing", default=list)
    new_evidence_links = models.JSONField("nieuwe onderbouwing", default=list)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        indexes = [
            # The state of every region × agreement at a moment: one index probe per status (dashboard rebuild).
            models.Index(fields=["agreement_status", "-changed_at", "-version"], name="statuschange_latest_first"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agreement_status", "version"], name="one_change_per_status_version"),
            models.CheckConstraint(condition=Q(old_status__gte=0, old_status__lte=4), name="change_old_status_on_scale"),
            models.CheckConstraint(condition=Q(new_status__gte=0, new_status__lte=4), name="change_new_status_on_scale"),
        ]

    def __str__(self):
        return f"{self.agreement_status}: {self.get_old_status_display()} → {self.get_new_status_display()}"


class AfstemmingStep(models.Model):
    """Append-only record of the afstemming of a status: asked (ter afstemming), agreed, or disagreed with a
    reason; who, when and for which version of the status. The app never edits or deletes it."""

    agreement_status = models.ForeignKey(AgreementStatus, on_delete=models.PROTECT, related_name="afstemming_steps", verbose_name="status")
    status_version = models.PositiveIntegerField("versie van de status")
    step = models.CharField("stap", max_length=20, choices=[(s.value, s.label) for s in AFSTEMMING_STEPS])
    reason = models.CharField("reden", max_length=AFSTEMMING_REASON_MAX_LENGTH, blank=True, validators=bounded_text())
    at = models.DateTimeField("tijdstip", db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="door"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "afstemmingsstap"
        verbose_name_plural = "afstemmingsstappen"
        indexes = [
            # The afstemming of every status at a moment: one index probe per status (dashboard rebuild).
            models.Index(fields=["agreement_status", "-at", "-id"], name="afstemming_latest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(step__in=[s.value for s in AFSTEMMING_STEPS]), name="afstemming_step_on_scale"),
            models.CheckConstraint(condition=Q(status_version__gte=1), name="afstemming_step_version_positive"),
            # A disagreement always says why; agreeing or asking carries no reason.
            models.CheckConstraint(
                condition=(Q(step=Afstemming.NIET_AKKOORD) & ~Q(reason="")) | (~Q(step=Afstemming.NIET_AKKOORD) & Q(reason="")),
                name="afstemming_reason_only_and_always_when_disagreeing",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_status}: {self.get_step_display()} (versie {self.status_version})"

    @property
    def icon(self) -> str:
        return AFSTEMMING_ICONS[self.step]


class StatusComment(models.Model):
    """A short message of the adviser or the region about a status; a thread per status, newest last."""

    agreement_status = models.ForeignKey(AgreementStatus, on_delete=models.PROTECT, related_name="comments", verbose_name="status")
    status_version = models.PositiveIntegerField("bij versie van de status")
    text = models.CharField("reactie", max_length=COMMENT_MAX_LENGTH, validators=bounded_text())
    created_at = models.DateTimeField("tijdstip")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="door"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "reactie op een status"
        verbose_name_plural = "reacties op statussen"
        indexes = [models.Index(fields=["agreement_status", "created_at"], name="status_comment_thread")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="status_comment_not_empty"),
            models.CheckConstraint(condition=Q(status_version__gte=1), name="status_comment_version_positive"),
        ]

    def __str__(self):
        return f"Reactie op {self.agreement_status}"


class AfstemmingMail(models.Model):
    """One afstemming e-mail sent to a user on a day: the record that keeps it to one per kind per day."""

    class Kind(models.TextChoices):
        REGIO = "regio", "Wacht op afstemming (regio)"
        ADVISEUR = "adviseur", "Nieuwe niet-akkoorden (adviseur)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="gebruiker")
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    day = models.DateField("dag")
    sent_at = models.DateTimeField("verstuurd")
    items = models.PositiveIntegerField("aantal statussen")

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "afstemmingsmail"
        verbose_name_plural = "afstemmingsmails"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "day"], name="one_afstemming_mail_per_user_kind_day"),
            models.CheckConstraint(condition=Q(kind__in=["regio", "adviseur"]), name="afstemming_mail_kind_valid"),
            models.CheckConstraint(condition=Q(items__gte=1), name="afstemming_mail_lists_something"),
        ]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()} aan {self.user}"
