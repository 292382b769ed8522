"""``oasis apl``: compute (or reuse) the national APL of a profession, or of all, and export it for a territory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.accessibility.aggregation import AGGREGATION_LEVELS, aggregate
from oasis.accessibility.computation import compute, prepare_all
from oasis.accessibility.enums import Variante
from oasis.accessibility.exports import groups_to_csv, provenance, to_csv, to_geojson
from oasis.accessibility.rows import territory_rows, territory_summary
from oasis.accessibility.runs import run_apl
from oasis.accessibility.traveltime import MatrixFileProvider, OsrmProvider, TravelTimeError, TravelTimeProvider
from oasis.datasets.errors import DataFileError
from oasis.references.exports import official_provenance, official_to_csv
from oasis.references.services import official_years, published_rows, territory_official_apl
from oasis.supply.enums import PROFESSIONS
from oasis.territories.services import Territory, TerritoryNotFound, parse_territory_ref

ALL = "toutes"


class Command(BaseCommand):
    help = "Calcule l'APL d'une profession pour toutes les communes et l'exporte (CSV ou GeoJSON)."
    # A computation run from scripts and timers: Django's system checks (0.7 s) run with migrate and serve instead.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--profession",
            required=True,
            choices=[*(p.value for p in PROFESSIONS), ALL],
            help=f"« {ALL} » : les sept professions dans un même calcul, un fichier chacune dans le dossier --output",
        )
        parser.add_argument("--variante", default=Variante.ENSEMBLE, choices=Variante.values)
        parser.add_argument("--territoire", help="com:CODE, epci:SIREN, dep:CODE ou reg:CODE (défaut : toute la France)")
        parser.add_argument("--output", type=Path, help="fichier de sortie (défaut : sortie standard)")
        parser.add_argument("--format", default="csv", choices=("csv", "geojson"))
        parser.add_argument(
            "--par",
            choices=AGGREGATION_LEVELS,
            help="agréger par région, département, EPCI ou bassin de vie (CSV : code,apl_moyen,population,pop_sous_dotee)",
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
            if options["profession"] == ALL:
                raise CommandError("L'APL officielle s'exporte une profession à la fois (--source officielle).")
            self._official(options)
            return
        try:
            territory = parse_territory_ref(options["territoire"]) if options["territoire"] else None
            provider: TravelTimeProvider | None = None
            if options["distancier"]:
                provider = MatrixFileProvider(options["distancier"])
            elif options["osrm"]:
                provider = OsrmProvider(options["osrm"])
        except (TerritoryNotFound, DataFileError, TravelTimeError, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["profession"] != ALL:
            self._export(options, territory, provider)
            return
        folder = options["output"]
        if folder is None or folder.is_file():
            raise CommandError(f"--profession {ALL} écrit un fichier par profession : donnez un dossier avec --output.")
        folder.mkdir(parents=True, exist_ok=True)
        prepare_all(provider)  # the widest travel-time matrix once, cut for each profession
        extension = "csv" if options["format"] == "csv" else "geojson"
        for profession in PROFESSIONS:
            output = folder / f"apl-{profession.value}{'-' + options['par'] if options['par'] else ''}.{extension}"
            self._export(options | {"profession": profession.value, "output": output}, territory, provider)

    def _export(self, options: dict[str, Any], territory: Territory | None, provider: TravelTimeProvider | None) -> None:
        try:
            run = run_apl(options["profession"], options["variante"], provider)
        except (DataFileError, TravelTimeError, ValueError, LookupError) as error:
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
            f"{run.profession} : {written} écrites dans {options['output']} ({where}) ; APL moyen "
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
