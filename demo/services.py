"""Fill a database with clearly marked, fictitious demo data so a newcomer sees a living app."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from agreements.models import Afstemming, AgreementStatus, Status, StatusChange
from agreements.services import status_agree, status_comment_add, status_disagree, status_update
from core.errors import ApplicationError
from dashboard.models import DashboardSnapshot
from dashboard.services import snapshot_release
from demo.models import DemoDataset
from regions.models import ContactPerson, Municipality, Region, RegiovisieAdoption
from support.models import SupportAction
from support.services import meeting_attendance_set, meeting_create, support_action_create

DEMO_PASSWORD = "demo-NvO-2026"  # noqa: S105 - published in the README, demo data only
DEMO_USERS = [
    # username, role, centrumgemeenten of the regions the user works for
    ("beheerder", Role.BEHEERDER, []),
    ("vng", Role.VNG_MEDEWERKER, []),
    ("adviseur", Role.REGIO_ADVISEUR, ["Vlissingen", "Breda", "Bergen op Zoom"]),
    ("regio", Role.REGIO_GEBRUIKER, ["Utrecht"]),
]
HISTORY_MONTHS = 24

_FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Charlotte",
    "Daan",
    "Esra",
    "Femke",
    "Gijs",
    "Hanna",
    "Ilse",
    "Jeroen",
    "Karim",
    "Lotte",
    "Mark",
    "Noor",
    "Olaf",
    "Priya",
    "Ruben",
    "Sanne",
    "Tim",
    "Yara",
]
_LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Kaya",
    "El Amrani",
    "van der Linden",
]
_EXPLANATIONS = {
    Status.NIET_GESTART: "Nog niet gestart; staat op de regionale planning voor volgend jaar.",
    Status.IN_VOORBEREIDING: "Werkgroep ingericht; eerste concept wordt besproken in het regionaal overleg.",
    Status.IN_UITVOERING: "Afspraken zijn gemaakt en worden uitgevoerd; monitoring loopt.",
    Status.GEREALISEERD: "Volledig gerealiseerd en vastgelegd in de regionale afspraken.",
}


def _demo_moment(rng: random.Random, months_ago: int) -> datetime:
    day = timezone.localdate().replace(day=1) - timedelta(days=30 * months_ago - rng.randint(0, 27))
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=ZoneInfo("Europe/Amsterdam"))


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    email = f"{first}.{last}".lower().replace(" ", "") + "@example.org"
    return f"{first} {last}", email


@transaction.atomic
def demo_data_load(*, seed: int = 2026) -> DemoDataset:
    """Demo users, contacts, regiovisie adoptions and 24 months of status history; refuses on real data."""
    if DemoDataset.objects.exists():
        raise ApplicationError("Demodata is al geladen.")
    if StatusChange.objects.exists() or User.objects.exists() or ContactPerson.objects.exists():
        raise ApplicationError("Deze database bevat al echte gegevens; demodata wordt alleen in een lege omgeving geladen.")
    regions = list(Region.objects.prefetch_related("municipalities").order_by("code"))
    if not regions:
        raise ApplicationError("Laad eerst de referentiegegevens: python manage.py load_reference_data")
    rng = random.Random(seed)

    by_centrum = {region.centrumgemeente.name: region for region in regions if region.centrumgemeente}
    users = {
        username: user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=f"Demo {role.label.lower()}",
            email=f"{username}@example.org",
            regions=[by_centrum[name] for name in centra if name in by_centrum],
        )
        for username, role, centra in DEMO_USERS
    }
    author = users["beheerder"]

    for region in regions:
        # Each region gets its own pace, so that some lead and some lag behind.
        pace = rng.random()
        for kind in ContactPerson.Kind:
            for position in ContactPerson.Position:
                if position == ContactPerson.Position.VERVANGER and rng.random() < 0.15:
                    continue  # some regions lack a vervanger, as in real life
                name, email = _person(rng)
                ContactPerson.objects.create(
                    region=region,
                    kind=kind,
                    position=position,
                    name=name,
                    email=email,
                    phone=f"06-{rng.randint(10000000, 99999999)}",
                    function="Wethouder zorg" if kind == ContactPerson.Kind.BESTUURLIJK else "Beleidsadviseur MO/BW",
                    organisation=f"Gemeente {region.centrumgemeente.name if region.centrumgemeente else region.name}",
                    updated_by=author,
                )
        statuses = AgreementStatus.objects.filter(region=region).select_related("agreement").order_by("agreement__number")
        for agreement_status in statuses:
            criteria = list(agreement_status.agreement.criteria.all())
            # Walk up the scale one step at a time, on distinct months of the past two years.
            target = min(int(Status.GEREALISEERD), round(pace * 4 * rng.uniform(0.5, 1.25)))
            months = sorted(rng.sample(range(1, HISTORY_MONTHS + 1), k=target), reverse=True)
            level = Status.ONBEKEND
            for level, months_ago in zip(map(Status, range(1, target + 1)), months, strict=True):
                if level == Status.GEREALISEERD:
                    met = criteria
                elif level >= Status.IN_VOORBEREIDING:
                    met = criteria[: rng.randint(0, len(criteria) - 1)]
                else:
                    met = []
                status_update(
                    agreement_status=agreement_status,
                    expected_version=agreement_status.version,
                    user=author,
                    status=level,
                    criteria_met=met,
                    explanation=_EXPLANATIONS[level],
                    # The generic texts of the later steps may be shown publicly; the earlier ones stay internal.
                    explanation_public=level >= Status.IN_UITVOERING,
                    evidence_links=[f"https://example.org/{region.slug}/afspraak-{agreement_status.agreement.number}"]
                    if level >= Status.IN_UITVOERING
                    else [],
                    changed_at=_demo_moment(rng, months_ago),
                )
                agreement_status.version += 1
            if agreement_status.agreement.number == 1 and level >= Status.IN_UITVOERING:
                _adoptions_load(rng, region, share=1.0 if level == Status.GEREALISEERD else rng.uniform(0.3, 0.9), author=author)
    _afstemming_load(rng, regions, users=users)
    _support_load(rng, regions, vng=users["vng"])
    return DemoDataset.objects.create()


_DISAGREEMENTS = [
    "Wij zijn verder: het plan is vorige maand in het regionaal overleg vastgesteld.",
    "Nog niet alle gemeenten hebben ingestemd; wij zien dit als in voorbereiding.",
    "De onderbouwing klopt niet meer; wij sturen de nieuwe stukken.",
]


def _asked(region: Region) -> list[AgreementStatus]:
    return list(
        AgreementStatus.objects.filter(region=region, afstemming=Afstemming.TER_AFSTEMMING)
        .select_related("agreement")
        .order_by("agreement__number")
    )


def _afstemming_load(rng: random.Random, regions: list[Region], *, users: dict[str, User]) -> None:
    """Regions in every afstemming state. Every region has a regio-gebruiker (`regio-<slug>`, the demo password;
    Utrecht's is `regio`) who agreed with everything, with all but one (niet akkoord, with the adviser's answer),
    or with nothing yet (ter afstemming); statuses never changed stay "nog niet gevraagd". The demo adviser's
    regions show one of each, and Utrecht keeps something waiting for the demo user `regio`."""
    password = users["regio"].password  # one hash for every region's demo user
    group = Group.objects.get(name=Role.REGIO_GEBRUIKER.value)
    by_centrum = {region.centrumgemeente.name: region for region in regions if region.centrumgemeente}
    fixed = {
        by_centrum.get("Bergen op Zoom"): "afgestemd",
        by_centrum.get("Vlissingen"): "niet_akkoord",
        by_centrum.get("Breda"): "ter_afstemming",
    }
    now = timezone.now()
    for index, region in enumerate(regions):
        if region in users["regio"].regions.all():
            member, pattern = users["regio"], "utrecht"
        else:
            member = User.objects.create(
                username=f"regio-{region.slug}"[:150],
                password=password,
                first_name="Demo regio-gebruiker",
                last_name=region.name,
                email=f"regio-{region.slug}@example.org",
            )
            member.groups.add(group)
            member.regions.add(region)
            pattern = fixed.get(region) or ["afgestemd", "niet_akkoord", "ter_afstemming"][index % 3]
        asked = _asked(region)
        if not asked and region in fixed:
            # The adviser's regions show every state, also when the random history happened to change nothing there.
            first = AgreementStatus.objects.filter(region=region).order_by("agreement__number").first()
            status_update(
                agreement_status=first,
                expected_version=first.version,
                user=users["adviseur"],
                status=Status.NIET_GESTART,
                criteria_met=[],
                explanation="De regio heeft laten weten dat het werk nog niet is begonnen.",
                evidence_links=[],
            )
            asked = _asked(region)
        if pattern == "ter_afstemming" or not asked:
            continue
        for position, agreement_status in enumerate(asked):
            at = min(agreement_status.afstemming_at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)), now)
            disagree = (pattern == "niet_akkoord" and position == 0) or (pattern == "utrecht" and position == 1)
            if pattern == "utrecht" and position > 1:
                break  # the rest waits for the demo user
            if disagree:
                status_disagree(
                    agreement_status=agreement_status,
                    expected_version=agreement_status.version,
                    user=member,
                    reason=rng.choice(_DISAGREEMENTS),
                    at=at,
                )
                status_comment_add(
                    agreement_status=agreement_status,
                    user=users["adviseur"] if region in users["adviseur"].regions.all() else users["beheerder"],
                    text="Dank voor uw reactie. Kunt u de stukken sturen? Dan pas ik de status aan.",
                    at=min(at + timedelta(days=2), now),
                )
            else:
                status_agree(agreement_status=agreement_status, expected_version=agreement_status.version, user=member, at=at)


def demo_months_release(*, user: User) -> int:
    """Release every demo month but the current one, so the public dashboard shows last month while this
    month stays private until VNG releases it; returns how many were released."""
    this_month = timezone.localdate().replace(day=1)
    snapshots = DashboardSnapshot.objects.filter(month__lt=this_month, released_at__isnull=True).order_by("month")
    for snapshot in snapshots:
        snapshot_release(snapshot=snapshot, user=user)
    return len(snapshots)


def _adoptions_load(rng: random.Random, region: Region, *, share: float, author: User) -> None:
    municipalities: list[Municipality] = list(region.municipalities.all())
    for municipality in rng.sample(municipalities, k=round(len(municipalities) * share)):
        decided = timezone.localdate() - timedelta(days=rng.randint(20, 700))
        RegiovisieAdoption.objects.create(
            municipality=municipality,
            decision_date=decided,
            updated_by=author,
            decision_url=f"https://example.org/raad/{municipality.cbs_code.lower()}/regiovisie",
        )


def working_day_on_or_after(day: date) -> date:
    """Meetings fall on working days: the first Monday to Friday from `day` that is not a Dutch public holiday
    that moves little (New Year's Day, King's Day, Liberation Day, Christmas) nor New Year's Eve."""
    fixed_days_off = {(1, 1), (4, 27), (5, 5), (12, 24), (12, 25), (12, 26), (12, 31)}
    while day.weekday() >= 5 or (day.month, day.day) in fixed_days_off:
        day += timedelta(days=1)
    return day


def _support_load(rng: random.Random, regions: list[Region], *, vng: User) -> None:
    """Support actions for the regions furthest behind (some overdue) and 6 past + 2 upcoming network meetings."""
    today = timezone.localdate()
    scores = dict(AgreementStatus.objects.values_list("region_id").annotate(total=Sum("status")))
    behind = sorted(regions, key=lambda region: scores.get(region.id, 0))[:6]
    for number, region in enumerate(behind):
        days_ago = rng.randint(10, 150)
        support_action_create(
            user=vng,
            region=region,
            agreement=None,
            kind=rng.choice(SupportAction.Kind.values),
            date=today - timedelta(days=days_ago),
            vng_staff=vng,
            summary="Gesprek over de voortgang van de NvO-afspraken en waar de regio ondersteuning nodig heeft.",
            next_step="Regio stuurt een planning voor de afspraken die nog niet gestart zijn.",
            # Every other action's next step is past due, so the follow-up page shows "te laat".
            next_step_due=today + timedelta(days=-7 if number % 2 else 21),
        )
    for months_ago in [11, 9, 7, 5, 3, 1, -1, -2]:
        network = ContactPerson.Kind.BESTUURLIJK if months_ago % 2 else ContactPerson.Kind.AMBTELIJK
        day = working_day_on_or_after(today - timedelta(days=30 * months_ago))
        starts = datetime.combine(day, time(14), tzinfo=ZoneInfo("Europe/Amsterdam"))
        physical = months_ago % 3 == 0
        meeting = meeting_create(
            user=vng,
            network=network,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            format="fysiek" if physical else "online",
            location="VNG, Nassaulaan 12, Den Haag" if physical else "",
            agenda="1. Opening en mededelingen\n2. Voortgang Norm voor Opdrachtgeverschap\n3. Rondvraag",
        )
        if months_ago > 0:
            meeting_attendance_set(
                meeting=meeting,
                user=vng,
                represented_by={region.id: "primair" if rng.random() < 0.8 else "vervanger" for region in regions if rng.random() < 0.7},
            )
