"""Follow-up of lagging regions (support actions) and the national BW-MO network (meetings, attendance)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import VersionedRecord
from core.text import AGENDA_MAX_LENGTH, NEXT_STEP_MAX_LENGTH, SUMMARY_MAX_LENGTH, bounded_text, text_length_constraint
from regions.models import ContactPerson


class SupportAction(VersionedRecord):
    """Something VNG staff did to support a region (optionally about one agreement), with the agreed next step."""

    class Kind(models.TextChoices):
        GESPREK = "gesprek", "Gesprek"
        WERKBEZOEK = "werkbezoek", "Werkbezoek"
        ONDERSTEUNINGSAANBOD = "ondersteuningsaanbod", "Ondersteuningsaanbod"
        EMAIL = "e-mail", "E-mail"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        AFGEROND = "afgerond", "Afgerond"

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="support_actions", verbose_name="regio")
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="afspraak",
    )
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    date = models.DateField("datum")
    vng_staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="VNG-medewerker")
    summary = models.TextField("samenvatting", max_length=SUMMARY_MAX_LENGTH, validators=bounded_text(SUMMARY_MAX_LENGTH))
    next_step = models.TextField(
        "afgesproken vervolgstap", blank=True, max_length=NEXT_STEP_MAX_LENGTH, validators=bounded_text(NEXT_STEP_MAX_LENGTH)
    )
    next_step_due = models.DateField("vervolgstap uiterlijk", null=True, blank=True)
    status = models.CharField("status", max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aangemaakt door",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "ondersteuningsactie"
        verbose_name_plural = "ondersteuningsacties"
        constraints = [
            models.CheckConstraint(
                condition=Q(next_step_due__isnull=True) | ~Q(next_step=""),
                name="support_action_due_needs_next_step",
                violation_error_message="Een uiterste datum hoort bij een vervolgstap: vul de vervolgstap in.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["gesprek", "werkbezoek", "ondersteuningsaanbod", "e-mail"]),
                name="support_action_kind_valid",
            ),
            models.CheckConstraint(condition=Q(status__in=["open", "afgerond"]), name="support_action_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="support_action_version_positive"),
            text_length_constraint("summary", SUMMARY_MAX_LENGTH, name="support_action_summary_bounded"),
            text_length_constraint("next_step", NEXT_STEP_MAX_LENGTH, name="support_action_next_step_bounded"),
        ]

    def __str__(self):
        return f"{self.region}: {self.get_kind_display().lower()} {self.date:%d-%m-%Y}"


class NetworkMeeting(VersionedRecord):
    """A meeting of the bestuurlijk or ambtelijk BW-MO network."""

    class Format(models.TextChoices):
        ONLINE = "online", "Online"
        FYSIEK = "fysiek", "Fysiek"

    network = models.CharField("netwerk", max_length=12, choices=ContactPerson.Kind.choices)
    starts_at = models.DateTimeField("begint")
    ends_at = models.DateTimeField("eindigt")
    format = models.CharField("vorm", max_length=10, choices=Format.choices)
    location = models.CharField("locatie", max_length=200, blank=True, validators=bounded_text())
    agenda = models.TextField("agenda", blank=True, max_length=AGENDA_MAX_LENGTH, validators=bounded_text(AGENDA_MAX_LENGTH))

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "netwerkbijeenkomst"
        verbose_name_plural = "netwerkbijeenkomsten"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="Een bijeenkomst eindigt na het begin.",
            ),
            models.CheckConstraint(
                condition=~Q(format="fysiek") | ~Q(location=""),
                name="meeting_physical_needs_location",
                violation_error_message="Vul de locatie in van een fysieke bijeenkomst.",
            ),
            models.CheckConstraint(condition=Q(network__in=["bestuurlijk", "ambtelijk"]), name="meeting_network_valid"),
            text_length_constraint("agenda", AGENDA_MAX_LENGTH, name="meeting_agenda_bounded"),
            models.CheckConstraint(condition=Q(format__in=["online", "fysiek"]), name="meeting_format_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="meeting_version_positive"),
        ]

    def __str__(self):
        return f"{self.title} {self.starts_at:%d-%m-%Y}"

    @property
    def title(self) -> str:
        return f"BW-MO-netwerk {self.get_network_display().lower()}"


class MeetingAttendance(models.Model):
    """A region was represented at a meeting, by its primary contact or by the vervanger."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="bijeenkomst")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="meeting_attendances", verbose_name="regio")
    represented_by = models.CharField("vertegenwoordigd door", max_length=10, choices=ContactPerson.Position.choices)

    class Meta:
        ordering = ["region__name"]
        verbose_name = "aanwezigheid"
        verbose_name_plural = "aanwezigheid"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "region"],
                name="one_attendance_per_meeting_region",
                violation_error_message="Een regio staat maar één keer op de presentielijst van een bijeenkomst.",
            ),
            models.CheckConstraint(condition=Q(represented_by__in=["primair", "vervanger"]), name="attendance_represented_by_valid"),
        ]

    def __str__(self):
        return f"{self.region} ({self.get_represented_by_display().lower()})"
