from pathlib import Path

from django.core.management.base import BaseCommand

from operations.backup import backup_write


class Command(BaseCommand):
    help = "Schrijf alle gegevens (ook gebruikers mét wachtwoordhashes) naar één zip-archief. Bewaar het versleuteld."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="pad van het te schrijven archief, bv. nvo-2026-11-29.zip")

    def handle(self, *args, archive: Path, **options):
        counts = backup_write(path=archive)
        self.stdout.write(f"Back-up geschreven naar {archive}: {sum(counts.values())} rijen uit {len(counts)} tabellen.")
