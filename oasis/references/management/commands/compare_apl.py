"""``oasis compare_apl``: how OASIS's estimated APL agrees with the official DREES APL (national, per département)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.formatting import fr_number
from oasis.references.agreement import COLUMNS, model_against_official


class Command(BaseCommand):
    help = "Compare l'APL estimée par OASIS à l'APL officielle de la DREES (Spearman, population sous-dense)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--annee", type=int, help="année de l'APL officielle (défaut : la plus récente)")
        parser.add_argument("--output", type=Path, help="CSV par département (séparateur ;)")

    def handle(self, *args: Any, **options: Any) -> None:
        results = {}
        for column, label in COLUMNS.items():
            try:
                year, france, departements = model_against_official("generaliste", options["annee"], column)
            except LookupError as error:
                raise CommandError(str(error)) from error
            results[column] = departements
            self.stdout.write(
                f"Médecins généralistes, APL officielle {year} ({label}) : {france.communes} communes, "
                f"Spearman {fr_number(france.spearman, 3)} ; population classée de la même façon (seuil 2,5) : "
                f"{fr_number(100 * france.population_agreement, 1)} % ; sous-denses pour OASIS seulement : "
                f"{fr_number(france.estimate_only_below)} hab., pour la DREES seulement : "
                f"{fr_number(france.reference_only_below)} hab. ; communes en désaccord : {france.communes_disagreeing}."
            )
        if options["output"]:
            with options["output"].open("w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream, delimiter=";")
                header = ["departement", "communes"]
                for column in COLUMNS:
                    header += [
                        f"spearman_{column}",
                        f"accord_population_{column}",
                        f"oasis_seul_{column}",
                        f"drees_seul_{column}",
                    ]
                writer.writerow(header)
                for code in sorted(results["apl"]):
                    row: list[object] = [code, results["apl"][code].communes]
                    for column in COLUMNS:
                        item = results[column][code]
                        row += [
                            fr_number(item.spearman, 3),
                            fr_number(item.population_agreement, 3),
                            round(item.estimate_only_below),
                            round(item.reference_only_below),
                        ]
                    writer.writerow(row)
            self.stdout.write(f"Détail par département dans {options['output']}.")
