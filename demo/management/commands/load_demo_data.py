from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from core.errors import ApplicationError
from dashboard.services import dashboard_rebuild_history
from demo.services import DEMO_PASSWORD, DEMO_USERS, HISTORY_MONTHS, demo_data_load, demo_months_release


class Command(BaseCommand):
    help = "Vult een lege database met fictieve demodata (nooit in een echte omgeving gebruiken)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Sla over (zonder fout) als er al gegevens zijn.")

    def handle(self, *args, if_empty: bool, **options):
        try:
            demo_data_load()
        except ApplicationError as error:
            if if_empty:
                self.stdout.write(f"Demodata overgeslagen: {error.message}")
                return
            raise CommandError(error.message) from error
        # A newcomer sees the dashboard and its trend at once instead of waiting for the monthly job.
        dashboard_rebuild_history(month=timezone.localdate(), history=HISTORY_MONTHS)
        self.stdout.write(f"Dashboard gebouwd voor deze maand en de {HISTORY_MONTHS} maanden ervoor.")
        released = demo_months_release(user=User.objects.get(username="vng"))
        self.stdout.write(f"{released} eerdere maanden gepubliceerd; deze maand is nog niet openbaar.")
        self.stdout.write(self.style.SUCCESS("Demodata geladen. Demo-accounts (wachtwoord %s):" % DEMO_PASSWORD))
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:10} {role.label}")
