"""``oasis data import drees-apl|rpps|finess|zonage FICHIER``: import an official file (all-or-nothing, idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from oasis.datasets.errors import DataFileError
from oasis.references.importers import IMPORTERS, run_import
from oasis.references.reports import describe

FILE_NOT_FOUND = "{path} : fichier introuvable"
FILE_REFUSED = "Fichier refusé, la base est inchangée. {error}"


class Command(BaseCommand):
    help = "Importe une référence officielle : APL de la DREES, Annuaire santé (RPPS), FINESS ou zonage de l'ARS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", choices=sorted(IMPORTERS), help="nature du fichier")
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--tvs", type=Path, help="zonage par TVS : table code_tvs;code_insee")
        parser.add_argument(
            "--dry-run", action="store_true", help="vérifier le fichier et montrer les changements sans rien écrire"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["fichier"]
        if not path.is_file():
            raise CommandError(FILE_NOT_FOUND.format(path=path))
        kind = options["reference"]
        try:
            with tqdm(
                total=IMPORTERS[kind].stages, desc=f"Import {kind}", unit="étape", disable=options["verbosity"] == 0
            ) as bar:
                report = run_import(kind, path, tvs=options["tvs"], dry_run=options["dry_run"], progress=bar.update)
                bar.update(bar.total - bar.n)
        except DataFileError as error:
            raise CommandError(FILE_REFUSED.format(error=error)) from error
        if options["verbosity"]:
            self.stdout.write(describe(report, dry_run=options["dry_run"]))
