"""``oasis apl``: compute (or reuse) the national APL of a profession and export it for a territory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.accessibility.aggregation import AGGREGATION_LEVELS, aggregate
from oasis.accessibility.computation import compute
from oasis.accessibility.enums import Variante
from oasis.accessibility.exports import groups_to_csv, provenance, to_csv, to_geojson
from oasis.accessibility.rows import territory_rows, territory_summary
from oasis.accessibility.runs import run_apl
from oasis.accessibility.traveltime import MatrixFileProvider, OsrmProvider, TravelTimeError, TravelTimeProvider
from oasis.datasets.errors import DataFileError
from oasis.references.exports import official_provenance, official_to_csv
from oasis.references.services import official_years, published_rows, territory_official_apl
from oasis.supply.enums import PROFESSIONS
from oasis.territories.services import TerritoryNotFound, parse_territory_ref


class Command(BaseCommand):
    help = "Calcule l'APL d'une profession pour toutes les communes et l'exporte (CSV ou GeoJSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profession", required=True, choices=[p.value for p in PROFESSIONS])
        parser.add_argument("--variante", default=Variante.ENSEMBLE, choices=Variante.values)
        parser.add_argument("--territoire", help="com:CODE, epci:SIREN, dep:CODE ou reg:CODE (défaut : toute la France)")
        parser.add_argument("--output", type=Path, help="fichier de sortie (défaut : sortie standard)")
        parser.add_argument("--format", default="csv", choices=("csv", "geojson"))
        parser.add_argument(
            "--par",
            choices=AGGREGATION_LEVELS,
            help="agréger par région, département, EPCI ou bassin de vie (CSV : code,apl_moyen,pop_totale,pop_sous_dotee)",
        )
        parser.add_argument(
            "--source",
            default="modele",
            choices=("modele", "officielle"),
            help="modele (défaut) : l'estimation d'OASIS ; officielle : l'APL de la DREES telle que publiée",
        )
        parser.add_argument("--annee", type=int, help="année de l'APL officielle (défaut : la plus récente importée)")
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--distancier", type=Path, help="temps de trajet fournis (CSV ou Parquet : origine,destination,minutes)"
        )
        source.add_argument("--osrm", help="adresse d'un serveur OSRM (ex. http://127.0.0.1:5000)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"] == "officielle":
            self._official(options)
            return
        try:
            territory = parse_territory_ref(options["territoire"]) if options["territoire"] else None
            provider: TravelTimeProvider | None = None
            if options["distancier"]:
                provider = MatrixFileProvider(options["distancier"])
            elif options["osrm"]:
                provider = OsrmProvider(options["osrm"])
            run = run_apl(options["profession"], options["variante"], provider)
        except (TerritoryNotFound, DataFileError, TravelTimeError, ValueError, LookupError) as error:
            raise CommandError(str(error)) from error
        rows = territory_rows(run, territory)
        summary = territory_summary(run, rows)
        if options["par"]:
            if options["format"] != "csv":
                raise CommandError("L'agrégation (--par) s'exporte en CSV")
            groups = aggregate(compute(options["profession"], options["variante"], provider), options["par"])
            content = groups_to_csv(groups)
        else:
            content = to_csv(rows) if options["format"] == "csv" else to_geojson(run, rows)
        if options["output"] is None:
            self.stdout.write(content, ending="")
            return
        options["output"].write_text(content, encoding="utf-8")
        meta = options["output"].with_name(options["output"].name + ".meta.json")
        meta.write_text(json.dumps({**provenance(run), "territoire": summary}, ensure_ascii=False, indent=2), encoding="utf-8")
        where = territory.nom if territory else "France"
        mean = summary["apl_moyen"]
        written = f"{content.count(chr(10)) - 1} {options['par']}" if options["par"] else f"{len(rows)} communes"
        self.stdout.write(
            f"{written} écrites dans {options['output']} ({where}) ; APL moyen "
            f"{'—' if mean is None else f'{mean:.3f}'} {run.resume.get('unite')} ; calcul {run.content_hash[:12]} ; "
            f"provenance dans {meta.name}."
        )

    def _official(self, options: dict[str, Any]) -> None:
        """The published DREES values, exactly as published, for the communes of the territory."""
        if options["format"] != "csv" or options["par"]:
            raise CommandError("L'APL officielle s'exporte en CSV, commune par commune (sans --par).")
        profession = options["profession"]
        years = official_years(profession)
        if not years:
            raise CommandError(f"Aucune APL officielle importée pour {profession} : oasis data import drees-apl FICHIER.")
        year = options["annee"] or years[0]
        if year not in years:
            raise CommandError(f"APL officielle {year} non importée pour {profession} (années : {', '.join(map(str, years))}).")
        try:
            territory = parse_territory_ref(options["territoire"]) if options["territoire"] else None
        except TerritoryNotFound as error:
            raise CommandError(str(error)) from error
        rows = published_rows(territory, profession, year)
        content = official_to_csv(rows)
        summary = territory_official_apl(territory, profession, year)
        if options["output"] is None:
            self.stdout.write(content, ending="")
            return
        options["output"].write_text(content, encoding="utf-8")
        meta = options["output"].with_name(options["output"].name + ".meta.json")
        meta.write_text(json.dumps(official_provenance(summary, territory), ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(
            f"{rows.count()} communes écrites dans {options['output']} ({territory.nom if territory else 'France'}) ; "
            f"APL officielle {year} (DREES), telle que publiée ; provenance dans {meta.name}."
        )
