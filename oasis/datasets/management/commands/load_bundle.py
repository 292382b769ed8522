"""``oasis data load``: load the national bundle into the database (idempotent, all-or-nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from oasis.datasets.errors import DataFileError
from oasis.datasets.load import load_bundle, total_rows
from oasis.references.shipped import import_shipped


class Command(BaseCommand):
    help = "Charge le paquet de données national dans la base (sans effet s'il est déjà chargé)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bundle", type=Path, default=None, help="dossier du paquet (défaut : paquet embarqué)")
        parser.add_argument("--force", action="store_true", help="recharger même si ce paquet est déjà chargé")
        parser.add_argument("--dry-run", action="store_true", help="vérifier le paquet sans rien écrire")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            total = total_rows(options["bundle"])
            with tqdm(total=total, desc="Chargement", unit="ligne", disable=options["verbosity"] == 0) as bar:
                report = load_bundle(options["bundle"], force=options["force"], dry_run=options["dry_run"], progress=bar.update)
                if report.skipped or report.dry_run:
                    bar.update(total - bar.n)
            if not report.dry_run:
                shipped = import_shipped()
        except DataFileError as error:
            raise CommandError(f"Paquet refusé, la base est inchangée. {error}") from error
        if options["verbosity"] == 0:
            return
        for imported in [] if report.dry_run else shipped:
            if not imported.skipped:
                self.stdout.write(f"Référence officielle embarquée importée : {imported.reference}.")
        if report.skipped:
            self.stdout.write(f"Paquet {report.sha256[:12]} déjà chargé : rien à faire (--force pour recharger).")
        elif report.dry_run:
            self.stdout.write(self.style.SUCCESS(f"Paquet {report.sha256[:12]} valide : {sum(report.rows.values())} lignes."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Paquet {report.sha256[:12]} chargé : {sum(report.rows.values())} lignes en {report.duration_seconds:.1f} s."
                )
            )
