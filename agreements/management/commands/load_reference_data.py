from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.services import agreement_definitions_from_file, agreements_load, statuses_ensure_all
from core.errors import ApplicationError
from regions.services import DIVISION_FILE, division_apply, division_rows_from_csv


class Command(BaseCommand):
    help = "Laadt de 44 MO-BW-regio's met hun gemeenten en de 8 NvO-afspraken uit de databestanden (idempotent)."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                report = division_apply(rows=division_rows_from_csv(DIVISION_FILE.read_text(encoding="utf-8")))
                agreements_changed = agreements_load(definitions=agreement_definitions_from_file())
                statuses_created = statuses_ensure_all()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"Afspraken en criteria gewijzigd: {agreements_changed}")
        self.stdout.write(f"Nieuwe statusregels (regio × afspraak): {statuses_created}")
        self.stdout.write(self.style.SUCCESS("Referentiegegevens geladen."))
