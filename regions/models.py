from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from core.models import ChangeRecord, VersionedRecord
from core.text import bounded_text
from regions.constraints import no_overlap

cbs_code_validator = RegexValidator(r"^GM\d{4}$", "Een CBS-gemeentecode heeft de vorm GM0000.")


class Region(models.Model):
    """A MO-BW region (centrumregio beschermd wonen en maatschappelijke opvang).

    Which municipalities it holds, and since when, is dated in `Membership`; its centrumgemeente in
    `CentrumgemeenteTerm`. A region exists while it has members: one that stopped existing keeps its
    statuses, contacts and snapshots. `source*` says where the current division of the region comes from.
    """

    class Firmness(models.TextChoices):
        REGELING = "regeling", "regeling"
        GEMEENTELIJK_DOCUMENT = "gemeentelijk document", "gemeentelijk document"
        BESTE_KENNIS = "beste kennis", "beste kennis"

    name = models.CharField("naam", max_length=100, unique=True, validators=bounded_text())
    slug = models.SlugField("slug", max_length=100, unique=True)
    code = models.CharField("regiocode", max_length=10, unique=True)
    source = models.CharField("bron indeling", max_length=300, blank=True, validators=bounded_text())
    source_date = models.DateField("datum bron", null=True, blank=True)
    source_firmness = models.CharField("zekerheid bron", max_length=30, choices=Firmness.choices, default=Firmness.BESTE_KENNIS)

    class Meta:
        ordering = ["name"]
        verbose_name = "regio"
        verbose_name_plural = "regio's"
        constraints = [
            models.CheckConstraint(
                condition=Q(source_firmness__in=["regeling", "gemeentelijk document", "beste kennis"]),
                name="region_source_firmness_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def centrumgemeente(self):
        """The region's centrumgemeente; cheap when `municipalities` is prefetched (selectors do)."""
        return next((m for m in self.municipalities.all() if m.is_centrumgemeente), None)


class Municipality(models.Model):
    """A Dutch municipality (gemeente); today it belongs to at most one region.

    `region` and `is_centrumgemeente` are the division valid today, kept equal to the open `Membership` and
    `CentrumgemeenteTerm` by the `regions.division` services (which refuse dates in the future, so "today"
    never runs ahead of them). Dated questions (a past month, a region's history) read the memberships.
    The flag lies on a member, so the centrumgemeente cannot lie outside its region, and a partial unique
    constraint allows at most one per region. `region` is empty for a municipality no region holds any more.
    """

    name = models.CharField("naam", max_length=100, validators=bounded_text())
    cbs_code = models.CharField("CBS-code", max_length=6, unique=True, validators=[cbs_code_validator])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="regio", null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(is_centrumgemeente=False) | Q(region__isnull=False),
                name="centrumgemeente_has_region",
            ),
        ]

    def __str__(self):
        return self.name


class PeriodQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The rows whose period [valid_from, valid_until) holds `day`."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day), valid_from__lte=day)


class Period(models.Model):
    """A half-open period [valid_from, valid_until): valid from the first day, no longer on the last."""

    valid_from = models.DateField("vanaf")
    valid_until = models.DateField("tot", null=True, blank=True, help_text="Leeg: nog steeds geldig.")

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def holds(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)


class Membership(Period):
    """A municipality belongs to a region from `valid_from` until `valid_until`.

    The database refuses two overlapping memberships of one municipality: on PostgreSQL with an exclusion
    constraint on the date ranges; everywhere with one open membership per municipality and one per start day.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="memberships", verbose_name="gemeente")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships", verbose_name="regio")

    class Meta:
        ordering = ["valid_from", "id"]
        verbose_name = "lidmaatschap van een regio"
        verbose_name_plural = "lidmaatschappen van regio's"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="membership_period_not_empty",
                violation_error_message="Een lidmaatschap eindigt na de dag waarop het begint.",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(valid_until__isnull=True),
                name="one_open_membership_per_municipality",
                violation_error_message="Een gemeente hoort op elk moment bij hoogstens één regio.",
            ),
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="one_membership_per_municipality_start"),
            no_overlap(
                name="memberships_do_not_overlap",
                key="municipality",
                message="Een gemeente hoort op elk moment bij hoogstens één regio.",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} in {self.region} vanaf {self.valid_from:%d-%m-%Y}"


class CentrumgemeenteTerm(Period):
    """A region's centrumgemeente from `valid_from` until `valid_until`: one per region at any moment."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="centrumgemeente_terms", verbose_name="regio")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="centrumgemeente_terms", verbose_name="centrumgemeente"
    )

    class Meta:
        ordering = ["valid_from", "id"]
        verbose_name = "periode als centrumgemeente"
        verbose_name_plural = "periodes als centrumgemeente"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="centrumgemeente_term_not_empty",
                violation_error_message="Een periode als centrumgemeente eindigt na de dag waarop ze begint.",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(valid_until__isnull=True),
                name="one_open_centrumgemeente_per_region",
                violation_error_message="Een regio heeft op elk moment precies één centrumgemeente.",
            ),
            models.UniqueConstraint(fields=["region", "valid_from"], name="one_centrumgemeente_per_region_start"),
            no_overlap(
                name="centrumgemeente_terms_do_not_overlap",
                key="region",
                message="Een regio heeft op elk moment precies één centrumgemeente.",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} centrumgemeente van {self.region} vanaf {self.valid_from:%d-%m-%Y}"


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
