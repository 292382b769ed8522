"""Planning results as CSV and as JSON-ready dictionaries."""

from __future__ import annotations

import io
from dataclasses import asdict
from typing import Any

from oasis.csvfiles import INTERNATIONAL, CsvDialect
from oasis.planning.services import PlanningOptions, PlanningResult, ProposedSite

CSV_COLUMNS = (
    "rang",
    "code_insee",
    "nom",
    "population_nouvellement_couverte",
    "communes_couvertes",
    "apl_avant",
    "apl_apres",
    "population_sortant_sous_densite",
    "raisons",
)


def to_csv(result: PlanningResult, dialect: CsvDialect = INTERNATIONAL) -> str:
    buffer = io.StringIO()
    writer = dialect.rows(buffer)
    writer.writerow(CSV_COLUMNS)
    for site in result.sites:
        writer.writerow(
            (
                site.rang,
                site.code_insee,
                site.nom,
                round(site.population_nouvellement_couverte),
                site.communes_couvertes,
                "" if site.apl_avant is None else f"{site.apl_avant:.4f}",
                "" if site.apl_apres is None else f"{site.apl_apres:.4f}",
                round(site.population_sortant_sous_densite),
                " ; ".join(site.raisons),
            )
        )
    return dialect.document(buffer)


def to_dict(result: PlanningResult) -> dict[str, Any]:
    options = asdict(result.options) | {"territory": None}
    territory = result.options.territory
    return {
        "territoire": None if territory is None else {"niveau": territory.niveau, "code": territory.code, "nom": territory.nom},
        "options": {key: value for key, value in options.items() if key != "territory"},
        "statut": result.status,
        "secondes_resolution": result.solve_seconds,
        "candidats": result.candidates,
        "communes_demande": result.demand_places,
        "objectif": result.objective,
        "objectif_structures_existantes": result.objective_existing,
        "demande_totale": result.demand_total,
        "population_couverte_avant": result.population_couverte_avant,
        "population_couverte_apres": result.population_couverte_apres,
        "population_totale": result.population_totale,
        "impact_apl": result.apl_impact,
        "sites": [asdict(site) for site in result.sites],
        "structures_existantes": [{"code_insee": c, "nom": n, "longitude": x, "latitude": y} for c, n, x, y in result.existing],
        "provenance": result.provenance,
    }


def from_dict(data: dict[str, Any], options: PlanningOptions) -> PlanningResult:
    """The result that ``to_dict`` wrote, for the options it was computed with (kept by the planning job)."""
    return PlanningResult(
        options=options,
        sites=[ProposedSite(**{**site, "variations_apl": [tuple(v) for v in site["variations_apl"]]}) for site in data["sites"]],
        existing=[(e["code_insee"], e["nom"], e["longitude"], e["latitude"]) for e in data["structures_existantes"]],
        objective=data["objectif"],
        objective_existing=data["objectif_structures_existantes"],
        demand_total=data["demande_totale"],
        population_couverte_avant=data["population_couverte_avant"],
        population_couverte_apres=data["population_couverte_apres"],
        population_totale=data["population_totale"],
        apl_impact=data["impact_apl"],
        status=data["statut"],
        solve_seconds=data["secondes_resolution"],
        candidates=data["candidats"],
        demand_places=data["communes_demande"],
        provenance=data["provenance"],
    )
