"""``oasis data build``: regenerate the national bundle from the raw open-data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from oasis.datasets.build import STEPS, build_bundle
from oasis.datasets.errors import DataFileError


class Command(BaseCommand):
    help = "Construit le paquet de données national à partir des fichiers ouverts bruts (voir docs/data.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, type=Path, help="dossier des fichiers bruts")
        parser.add_argument("--output", type=Path, default=None, help="dossier du paquet (défaut : paquet embarqué)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.OASIS_BUNDLE_DIR)
        with tqdm(total=len(STEPS), desc="Construction", unit="étape", disable=options["verbosity"] == 0) as bar:

            def on_step(name: str) -> None:
                bar.set_postfix_str(name)
                bar.update(1)

            try:
                manifest = build_bundle(options["source"], output, on_step=on_step)
            except DataFileError as error:
                raise CommandError(f"Fichier refusé, rien n'a été écrit. {error}") from error
        rows = sum(entry["rows"] for entry in manifest["files"].values())  # type: ignore[attr-defined]
        self.stdout.write(self.style.SUCCESS(f"Paquet écrit dans {output} : {rows} lignes."))
