"""``oasis precalculer``: compute beforehand what pages and API would compute on their first request after an import."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from oasis.datasets import precomputed
from oasis.www.precompute import DEFAULT_LEVELS, LEVELS, precompute


class Command(BaseCommand):
    help = (
        "Calcule d'avance les APL, les pages des territoires, les états des lieux et les réponses nationales de l'API, "
        "gardés dans des fichiers que chaque processus du serveur lit (à lancer après chaque import ; "
        "oasis data load, import et update le font)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--niveaux", default=",".join(DEFAULT_LEVELS), help=f"territoires dont les pages sont calculées ({', '.join(LEVELS)})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        levels = tuple(level for level in options["niveaux"].split(",") if level)
        unknown = [level for level in levels if level not in LEVELS]
        if unknown:
            raise CommandError(f"Niveau inconnu : {', '.join(unknown)} (niveaux : {', '.join(LEVELS)}).")
        if precomputed.root() is None:
            raise CommandError("OASIS_PRECALCULS_DIR est vide : aucun dossier où garder les calculs.")
        quiet = options["verbosity"] == 0
        bar = tqdm(desc="Précalcul", unit="calcul", disable=quiet)

        def on_step(position: int, total: int, label: str) -> None:
            bar.total = total
            bar.set_postfix_str(label[:40])
            bar.update(position - bar.n - 1)

        done = precompute(levels, on_step)
        bar.update(done - bar.n)
        bar.close()
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"{done} calculs gardés dans {precomputed.root()}."))
