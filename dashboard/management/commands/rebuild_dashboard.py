from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import ApplicationError
from dashboard.services import dashboard_rebuild_history


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError as error:
        raise CommandError(f"Ongeldige maand {value!r}: gebruik de vorm JJJJ-MM, bijvoorbeeld 2026-11.") from error


class Command(BaseCommand):
    help = "Bouwt het dashboard van een maand opnieuw (standaard de huidige maand), zoals de maandelijkse taak."

    def add_arguments(self, parser):
        parser.add_argument("--month", type=_month, help="De maand als JJJJ-MM (standaard: de huidige maand).")
        parser.add_argument("--history", type=int, default=0, help="Bouw ook de N maanden ervoor opnieuw.")

    def handle(self, *args, month: date | None, history: int, **options):
        if history < 0:
            raise CommandError("--history is een aantal maanden (0 of meer).")
        try:
            snapshots = dashboard_rebuild_history(month=month or timezone.localdate(), history=history)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for snapshot in snapshots:
            peildatum = timezone.localtime(snapshot.peildatum)
            self.stdout.write(f"Dashboard {snapshot.month:%Y-%m} gebouwd (peildatum {peildatum:%d-%m-%Y %H:%M}).")
