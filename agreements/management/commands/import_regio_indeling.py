from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.services import statuses_ensure_all
from core.errors import ApplicationError
from regions.division import (
    DIVISION_COLUMNS,
    MAX_DIVISION_BYTES,
    SOURCE_COLUMNS,
    division_import,
    division_preview,
    division_rows_from_csv,
)


def _effective_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ingangsdatum {value!r} is geen datum (JJJJ-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Voert een nieuwe regio-indeling in vanaf een ingangsdatum (kolommen: "
        + ", ".join(DIVISION_COLUMNS)
        + "; naar keuze "
        + ", ".join(SOURCE_COLUMNS)
        + "). Toont eerst per regio wat er verandert en vraagt om "
        "bevestiging; de lidmaatschappen van voor de ingangsdatum blijven bewaard."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path, help="Pad naar het CSV-bestand (UTF-8).")
        parser.add_argument(
            "--ingangsdatum",
            required=True,
            type=_effective_date,
            help="De dag (JJJJ-MM-DD) vanaf welke de nieuwe indeling geldt; niet in de toekomst, niet voor de laatste wijziging.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Toon wat er zou veranderen zonder op te slaan.")
        parser.add_argument("--ja", action="store_true", help="Voer door zonder te vragen (na het tonen van de wijzigingen).")

    def handle(self, *args, csv_file: Path, ingangsdatum: date, dry_run: bool, ja: bool, **options):
        try:
            if csv_file.stat().st_size > MAX_DIVISION_BYTES:
                raise CommandError(f"{csv_file} is groter dan {MAX_DIVISION_BYTES // 1_000_000} MB.")
            text = csv_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Kan {csv_file} niet lezen als UTF-8-tekst: {error}") from error
        try:
            rows = division_rows_from_csv(text)
            preview = division_preview(rows=rows, effective=ingangsdatum)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in preview.lines():
            self.stdout.write(line)
        if dry_run or not preview.changed:
            self.stdout.write(self.style.WARNING("Proefdraai: er is niets opgeslagen.") if dry_run else "Niets te doen.")
            return
        if not ja and input("Deze wijzigingen doorvoeren? [j/N] ").strip().lower() not in ("j", "ja"):
            self.stdout.write(self.style.WARNING("Afgebroken: er is niets opgeslagen."))
            return
        try:
            with transaction.atomic():
                report = division_import(rows=rows, effective=ingangsdatum)
                if report.lines() != preview.lines():
                    raise ApplicationError("De indeling is veranderd sinds de voorvertoning; er is niets opgeslagen. Probeer het opnieuw.")
                statuses_ensure_all()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS("Regio-indeling bijgewerkt."))
