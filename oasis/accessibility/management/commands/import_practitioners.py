"""``oasis import_practitioners``: import per-practitioner activity for a profession (all-or-nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.accessibility.imports import import_practitioners
from oasis.datasets.errors import DataFileError
from oasis.supply.enums import PROFESSIONS

FILE_REFUSED = "Fichier refusé, rien n'a été importé. {error}"
IMPORTED = "{lignes} praticiens importés ({profession})."
ALREADY_IMPORTED = "Fichier déjà importé le {date:%d/%m/%Y} : rien à faire."


class Command(BaseCommand):
    help = "Importe l'activité par praticien (sans identité) qui remplace l'imputation BPE dans le calcul de l'APL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--profession", required=True, choices=[p.value for p in PROFESSIONS])
        parser.add_argument("--millesime", required=True, type=int, help="année d'activité")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_practitioners(options["fichier"], options["profession"], options["millesime"])
        except DataFileError as error:
            raise CommandError(FILE_REFUSED.format(error=error)) from error
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(IMPORTED.format(lignes=report.source.lignes, profession=report.source.profession))
            )
        else:
            self.stdout.write(ALREADY_IMPORTED.format(date=report.source.imported_at))
