"""``oasis scenario``: what if professionals settle, leave or retire — stored, and comparable side by side."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.accessibility.enums import Variante
from oasis.accessibility.models import Scenario
from oasis.accessibility.runs import run_apl
from oasis.accessibility.whatif import run_scenario
from oasis.references.services import official_baseline
from oasis.supply.enums import PROFESSIONS

SUMMARY_LABELS = {
    "communes_modifiees": "communes dont l'APL change",
    "variation_offre": "variation de l'offre (unité de la profession)",
    "variation_apl_max": "plus forte variation d'APL",
    "population_sortant_sous_densite": "habitants sortant de la sous-densité",
    "population_entrant_sous_densite": "habitants entrant en sous-densité",
    "communes_sortant_sous_densite": "communes sortant de la sous-densité",
    "communes_entrant_sous_densite": "communes entrant en sous-densité",
}


def _pair(value: str) -> tuple[str, int]:
    code, _, number = value.partition(":")
    if not number.isdigit() or int(number) <= 0:
        raise CommandError(f"« {value} » : écrire CODE_INSEE:NOMBRE, par exemple 86194:2")
    return code, int(number)


class Command(BaseCommand):
    help = "Simule l'installation, le départ ou la retraite de professionnels et enregistre le scénario."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profession", choices=[p.value for p in PROFESSIONS])
        parser.add_argument("--variante", default=Variante.ENSEMBLE, choices=Variante.values)
        parser.add_argument("--nom", help="nom du scénario")
        parser.add_argument("--ajout", action="append", default=[], metavar="CODE:N", help="N professionnels s'installent")
        parser.add_argument("--retrait", action="append", default=[], metavar="CODE:N", help="N professionnels partent")
        parser.add_argument(
            "--structure",
            action="append",
            default=[],
            metavar="CODE:N",
            help="ouverture d'une maison ou d'un centre de santé de N professionnels",
        )
        parser.add_argument("--depart-age", type=int, help="départ de tous les praticiens plus âgés que cet âge")
        parser.add_argument("--comparer", nargs="+", type=int, metavar="ID", help="comparer des scénarios enregistrés")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["comparer"]:
            self._compare(options["comparer"])
            return
        if not options["profession"] or not options["nom"]:
            raise CommandError("--profession et --nom sont requis pour un nouveau scénario")
        changes: list[dict[str, Any]] = []
        for kind in ("ajout", "retrait", "structure"):
            for value in options[kind]:
                code, number = _pair(value)
                changes.append({"type": kind, "commune": code, "nombre": number})
        if options["depart_age"] is not None:
            changes.append({"type": "depart_age", "age": options["depart_age"]})
        if not changes:
            raise CommandError("Aucun changement : --ajout, --retrait, --structure ou --depart-age")
        try:
            run = run_apl(options["profession"], options["variante"])
            scenario = run_scenario(run, options["nom"], changes)
        except (ValueError, LookupError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Scénario {scenario.pk} « {scenario.nom} » enregistré (calcul {run.content_hash[:12]}).")
        )
        for key, label in SUMMARY_LABELS.items():
            if key in scenario.resume:
                self.stdout.write(f"  {label} : {scenario.resume[key]:g}")
        changes_by_code = {r.commune_id: (r.apl_avant, r.apl_apres) for r in scenario.results.all()}
        year, official = official_baseline(options["profession"], changes_by_code)
        if official:
            self.stdout.write(
                f"  Base officielle : APL officielle {year} (DREES) + variation du modèle, {len(official)} communes :"
            )
            largest = sorted(official.items(), key=lambda item: -(item[1][1] - item[1][0]))[:5]
            for code, (before, after) in largest:
                self.stdout.write(f"    {code} : {before:.2f} → {after:.2f}")

    def _compare(self, identifiers: list[int]) -> None:
        scenarios = {s.pk: s for s in Scenario.objects.filter(pk__in=identifiers).select_related("run")}
        missing = [i for i in identifiers if i not in scenarios]
        if missing:
            raise CommandError(f"Scénario(s) inconnu(s) : {', '.join(map(str, missing))}")
        ordered = [scenarios[i] for i in identifiers]
        width = 42
        self.stdout.write(" " * width + "".join(f"{s.nom[:22]:>24}" for s in ordered))
        for key, label in SUMMARY_LABELS.items():
            values = [s.resume.get(key) for s in ordered]
            if any(v is not None for v in values):
                cells = "".join(f"{'—' if v is None else f'{v:,.1f}'.replace(',', ' '):>24}" for v in values)
                self.stdout.write(f"{label[: width - 2]:<{width}}{cells}")
