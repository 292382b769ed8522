"""``oasis diagnostic epci:200069854 --format pdf --output rapport.pdf``: the état des lieux of a territory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.diagnostics.report import PdfUnavailable, render_html, render_pdf, to_csv
from oasis.diagnostics.services import build_diagnosis
from oasis.territories.services import TerritoryNotFound, parse_territory_ref


class Command(BaseCommand):
    help = "Produit l'état des lieux de l'offre de soins d'un territoire (PDF, HTML ou CSV des tableaux)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "territoire", help="com:CODE, epci:SIREN, dep:CODE, reg:CODE ou set:CODE,CODE,… (un ensemble de communes)"
        )
        parser.add_argument("--format", default="pdf", choices=("pdf", "html", "csv"))
        parser.add_argument("--output", type=Path, help="fichier de sortie (défaut : etat-des-lieux-<territoire>.<format>)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            territory = parse_territory_ref(options["territoire"])
        except TerritoryNotFound as error:
            raise CommandError(str(error)) from error
        output = options["output"] or Path(f"etat-des-lieux-{territory.file_stem}.{options['format']}")
        diagnosis = build_diagnosis(territory)
        try:
            if options["format"] == "pdf":
                output.write_bytes(render_pdf(diagnosis))
            elif options["format"] == "html":
                output.write_text(render_html(diagnosis, for_pdf=True), encoding="utf-8")
            else:
                output.write_text(to_csv(diagnosis), encoding="utf-8")
        except PdfUnavailable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"État des lieux de {territory.nom} écrit dans {output}."))
