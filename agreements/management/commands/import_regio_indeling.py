from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.services import statuses_ensure_all
from core.errors import ApplicationError
from regions.services import DIVISION_COLUMNS, division_apply, division_rows_from_csv


class Command(BaseCommand):
    help = (
        "Vervangt de regio-indeling door die uit een CSV-bestand (kolommen: "
        + ", ".join(DIVISION_COLUMNS)
        + "), bijvoorbeeld de officiële CBS-tabel, en meldt wat er verschoof."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path, help="Pad naar het CSV-bestand (UTF-8).")
        parser.add_argument("--dry-run", action="store_true", help="Toon wat er zou veranderen zonder op te slaan.")

    def handle(self, *args, csv_file: Path, dry_run: bool, **options):
        try:
            text = csv_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Kan {csv_file} niet lezen als UTF-8-tekst: {error}") from error
        try:
            with transaction.atomic():
                report = division_apply(rows=division_rows_from_csv(text))
                statuses_ensure_all()
                if dry_run:
                    transaction.set_rollback(True)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Proefdraai: er is niets opgeslagen."))
        else:
            self.stdout.write(self.style.SUCCESS("Regio-indeling bijgewerkt."))
