from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from core.models import ChangeRecord, VersionedRecord
from core.text import bounded_text

cbs_code_validator = RegexValidator(r"^GM\d{4}$", "Een CBS-gemeentecode heeft de vorm GM0000.")


class Region(models.Model):
    """A MO-BW region (centrumregio beschermd wonen en maatschappelijke opvang)."""

    name = models.CharField("naam", max_length=100, unique=True, validators=bounded_text())
    slug = models.SlugField("slug", max_length=100, unique=True)
    code = models.CharField("regiocode", max_length=10, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "regio"
        verbose_name_plural = "regio's"

    def __str__(self):
        return self.name

    @property
    def centrumgemeente(self):
        """The region's centrumgemeente; cheap when `municipalities` is prefetched (selectors do)."""
        return next((m for m in self.municipalities.all() if m.is_centrumgemeente), None)


class Municipality(models.Model):
    """A Dutch municipality (gemeente); every municipality belongs to exactly one region.

    The centrumgemeente is a flag on the member municipality, so it cannot lie outside its region,
    and a partial unique constraint allows at most one per region.
    """

    name = models.CharField("naam", max_length=100, validators=bounded_text())
    cbs_code = models.CharField("CBS-code", max_length=6, unique=True, validators=[cbs_code_validator])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="regio")
    is_centrumgemeente = models.BooleanField("centrumgemeente", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_centrumgemeente=True),
                name="one_centrumgemeente_per_region",
                violation_error_message="Een regio heeft precies één centrumgemeente.",
            ),
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"),
                name="municipality_cbs_code_format",
                violation_error_message="Een CBS-gemeentecode heeft de vorm GM0000.",
            ),
        ]

    def __str__(self):
        return self.name


class RegiovisieAdoption(VersionedRecord):
    """A municipal council's decision adopting the region's regiovisie (agreement 1)."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="regiovisie_adoption", verbose_name="gemeente")
    decision_date = models.DateField("datum raadsbesluit")
    decision_url = models.URLField("link naar het raadsbesluit", blank=True, max_length=500)

    class Meta:
        verbose_name = "vaststelling regiovisie"
        verbose_name_plural = "vaststellingen regiovisie"
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="adoption_version_positive")]

    def __str__(self):
        return f"{self.municipality}: {self.decision_date:%d-%m-%Y}"


class ContactPerson(VersionedRecord):
    """An aanspreekpunt of a region for the national BW-MO network."""

    class Kind(models.TextChoices):
        BESTUURLIJK = "bestuurlijk", "Bestuurlijk"
        AMBTELIJK = "ambtelijk", "Ambtelijk"

    class Position(models.TextChoices):
        PRIMAIR = "primair", "Primair"
        VERVANGER = "vervanger", "Vervanger"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="contacts", verbose_name="regio")
    kind = models.CharField("soort", max_length=12, choices=Kind.choices)
    position = models.CharField("positie", max_length=10, choices=Position.choices)
    name = models.CharField("naam", max_length=200, validators=bounded_text())
    function = models.CharField("functie", max_length=200, blank=True, validators=bounded_text())
    organisation = models.CharField("organisatie", max_length=200, blank=True, validators=bounded_text())
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoonnummer", max_length=30, blank=True, validators=bounded_text())

    class Meta:
        ordering = ["region__name", "kind", "-position"]
        verbose_name = "aanspreekpunt"
        verbose_name_plural = "aanspreekpunten"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "position"],
                name="one_contact_per_region_kind_position",
                violation_error_message="Per regio is er één primair aanspreekpunt en één vervanger per soort.",
            ),
            models.CheckConstraint(condition=Q(kind__in=["bestuurlijk", "ambtelijk"]), name="contact_kind_valid"),
            models.CheckConstraint(condition=Q(position__in=["primair", "vervanger"]), name="contact_position_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="contact_version_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()}, {self.get_position_display().lower()})"


class ContactChange(ChangeRecord):
    """Append-only record of a change to a region's contacts: who, when, old → new."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="contact_changes", verbose_name="regio")
    kind = models.CharField("soort", max_length=12, choices=ContactPerson.Kind.choices)
    position = models.CharField("positie", max_length=10, choices=ContactPerson.Position.choices)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "wijziging aanspreekpunt"
        verbose_name_plural = "wijzigingen aanspreekpunten"

    def __str__(self):
        return f"{self.region} {self.kind} {self.position} {self.changed_at:%Y-%m-%d %H:%M}"


class RegiovisieAdoptionChange(ChangeRecord):
    """Append-only record of a change to a municipality's regiovisie adoption: who, when, old → new.

    `version` counts the changes per municipality; the adoption form carries it, so a stale save is refused.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="adoption_changes", verbose_name="gemeente")
    version = models.PositiveIntegerField("versie na wijziging")

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "wijziging vaststelling regiovisie"
        verbose_name_plural = "wijzigingen vaststelling regiovisie"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "version"], name="one_adoption_change_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="adoption_change_version_positive"),
        ]

    def __str__(self):
        return f"{self.municipality} {self.changed_at:%Y-%m-%d %H:%M}"
