"""``oasis data update``: fetch the current official files, import what changed and print what it changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from oasis.formatting import fr_number
from oasis.references.reports import describe
from oasis.references.update import UpdateError, update
from oasis.supply.enums import PROFESSIONS, Equipement
from oasis.verdicts.services import Change, changes, snapshot

SHOWN = 50
"""Changed communes listed one by one (the API lists them all)."""


class Command(BaseCommand):
    help = "Met à jour les références officielles (APL de la DREES, Annuaire santé, FINESS, zonage) et dit ce qui a changé."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--depuis", type=Path, help="dossier où prendre les fichiers (machine sans accès à internet)")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] == 0
        if options["depuis"] is not None and not options["depuis"].is_dir():
            raise CommandError(f"{options['depuis']} : dossier introuvable")
        bars: dict[str, tqdm] = {}

        def on_download(name: str, size: int) -> None:
            if name not in bars:
                bars[name] = tqdm(desc=name, unit="o", unit_scale=True, disable=quiet)
            bars[name].update(size)

        def on_step(label: str) -> None:
            if not quiet:
                self.stderr.write(label)

        def progress_for(label: str, stages: int) -> Callable[[int], None]:
            bar = bars[label] = tqdm(desc=label, total=stages, unit="étape", disable=quiet)

            def advance(steps: int) -> None:
                bar.update(steps)

            return advance

        professions = [profession.value for profession in PROFESSIONS]
        before = snapshot(professions)
        try:
            report = update(options["depuis"], on_download=on_download, on_step=on_step, progress_for=progress_for)
        except UpdateError as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars.values():
                bar.close()
        if quiet:
            return
        for result in report.imported:
            self.stdout.write(describe(result))
        for result in report.unchanged:
            self.stdout.write(f"Inchangé : {result.reference} (déjà importé).")
        for line in report.skipped:
            self.stdout.write(f"Ignoré — {line}.")
        if report.recomputed:
            self.stdout.write("APL estimées recalculées : " + ", ".join(report.recomputed) + ".")
        if not report.imported:
            self.stdout.write("Aucune référence nouvelle.")
            return
        self._verdicts(changes(before, snapshot(professions)))

    def _verdicts(self, changed: list[Change]) -> None:
        """The communes whose verdict « sous-dense » changed: before → after, with their population."""
        if not changed:
            self.stdout.write("Aucun verdict de sous-densité n'a changé.")
            return
        population = sum(change.population for change in changed)
        self.stdout.write(
            f"Verdicts de sous-densité changés : {len(changed)} commune(s), {fr_number(population, 0)} habitants "
            "(avant → après) :"
        )
        for change in changed[:SHOWN]:
            before = change.avant.etat if change.avant else "inconnu"
            after = f"{change.apres.etat} ({change.apres.libelle})" if change.apres else "inconnu"
            self.stdout.write(
                f"  {change.nom} ({change.code_insee}), {Equipement(change.profession).label.lower()}, "
                f"{fr_number(change.population, 0)} hab. : "
                f"{before} → {after}"
            )
        if len(changed) > SHOWN:
            self.stdout.write(f"  … et {len(changed) - SHOWN} autre(s) (voir GET /api/zonage).")
