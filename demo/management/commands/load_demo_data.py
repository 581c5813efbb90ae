from django.core.management.base import BaseCommand, CommandError

from demo.services import DEMO_PASSWORD, DEMO_USERS, demo_data_load
from nvo_tracker.errors import ApplicationError


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
        self.stdout.write(self.style.SUCCESS("Demodata geladen. Demo-accounts (wachtwoord %s):" % DEMO_PASSWORD))
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:10} {role.label}")
