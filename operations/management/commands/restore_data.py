from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from operations.backup import backup_restore


class Command(BaseCommand):
    help = "Zet een archief van backup_data terug in een lege, net gemigreerde database (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="pad van het archief")

    def handle(self, *args, archive: Path, **options):
        try:
            counts = backup_restore(path=archive)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Teruggezet uit {archive}: {sum(counts.values())} rijen in {len(counts)} tabellen.")
