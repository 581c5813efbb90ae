from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.services import agreement_definitions_from_file, agreements_load, statuses_ensure_all
from core.errors import ApplicationError
from regions.division import division_load_reference, division_reference_rows


class Command(BaseCommand):
    help = (
        "Laadt de regio-indeling (met datums en bronnen) en de NvO-afspraken uit de databestanden van de app "
        "(idempotent: een tweede keer verandert niets)."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                report = division_load_reference(rows=division_reference_rows())
                agreements_changed = agreements_load(definitions=agreement_definitions_from_file())
                statuses_created = statuses_ensure_all()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"Afspraken en criteria gewijzigd: {agreements_changed}")
        self.stdout.write(f"Nieuwe statusregels (regio × afspraak): {statuses_created}")
        self.stdout.write(self.style.SUCCESS("Referentiegegevens geladen."))
