"""``oasis implantation --territoire dep:86 --sites 3 --profession generaliste --output sites.csv``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.core.siting import SolverError
from oasis.planning.exports import to_csv, to_dict
from oasis.planning.services import DEMANDS, METHODS, MODELS, PlanningOptions, plan
from oasis.supply.enums import PROFESSIONS
from oasis.territories.services import TerritoryNotFound, parse_territory_ref


class Command(BaseCommand):
    help = "Propose où implanter de nouvelles maisons de santé sur un territoire, et mesure leur effet sur l'APL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territoire", help="com:, epci:, dep: ou reg: (défaut : France entière, méthode gloutonne)")
        parser.add_argument("--sites", type=int, default=3)
        parser.add_argument("--profession", default="generaliste", choices=[p.value for p in PROFESSIONS])
        parser.add_argument("--demande", default="population", choices=list(DEMANDS))
        parser.add_argument("--modele", default="couverture", choices=list(MODELS))
        parser.add_argument("--methode", choices=METHODS, help="exacte (défaut sur un territoire) ou glouton")
        parser.add_argument("--minutes", type=float, default=20.0, help="temps de trajet couvert")
        parser.add_argument("--professionnels", type=int, default=3, help="professionnels installés par site (impact sur l'APL)")
        parser.add_argument("--population-min", type=int, default=0, help="population minimale d'une commune candidate")
        parser.add_argument(
            "--avec-professionnels", action="store_true", help="candidates : communes ayant déjà ce professionnel"
        )
        parser.add_argument("--capacite", type=float, help="patients (poids de demande) qu'un site peut prendre en charge")
        parser.add_argument("--output", type=Path, help="fichier CSV (ou .json) ; défaut : sortie standard")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            territory = parse_territory_ref(options["territoire"]) if options["territoire"] else None
            result = plan(
                PlanningOptions(
                    territory=territory,
                    sites=options["sites"],
                    profession=options["profession"],
                    demande=options["demande"],
                    methode=options["methode"] or ("exacte" if territory else "glouton"),
                    minutes=options["minutes"],
                    professionnels_par_site=options["professionnels"],
                    population_min=options["population_min"],
                    avec_professionnels=options["avec_professionnels"],
                    capacite=options["capacite"],
                    modele=options["modele"],
                )
            )
        except (TerritoryNotFound, ValueError, SolverError) as error:
            raise CommandError(str(error)) from error
        output: Path | None = options["output"]
        if output is not None and output.suffix == ".json":
            output.write_text(json.dumps(to_dict(result), ensure_ascii=False, indent=2), encoding="utf-8")
        elif output is not None:
            output.write_text(to_csv(result), encoding="utf-8")
        else:
            self.stdout.write(to_csv(result), ending="")
            return
        where = territory.nom if territory else "France"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.sites)} sites proposés ({where}, {result.status}, {result.solve_seconds:.2f} s) : "
                + ", ".join(f"{s.nom} ({s.code_insee})" for s in result.sites)
                + f". Population couverte à {options['minutes']:g} min : {result.population_couverte_avant:,.0f} → "
                f"{result.population_couverte_apres:,.0f}. Écrit dans {output}.".replace(",", "\u202f")
            )
        )
