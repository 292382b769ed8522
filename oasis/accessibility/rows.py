"""A stored run's figures for the communes of a territory, and their summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from oasis.accessibility.models import AplResult, AplRun
from oasis.core.apl import weighted_mean_by_group
from oasis.datasets.fingerprint import kept
from oasis.territories.services import Territory


@dataclass(frozen=True)
class CommuneApl:
    code_insee: str
    nom: str
    apl: float | None
    pop_totale: float | None  # the DREES total population (2021), a demand input of the APL
    pop_standardisee: float | None
    sous_dense_estimation: bool | None
    classe: int | None
    longitude: float
    latitude: float
    population: int = 0  # INSEE population municipale: the inhabitants every page counts


def is_under_served(run: AplRun, apl: float | None, classe: int | None) -> bool | None:
    if apl is None:
        return None
    threshold = run.resume.get("seuil_sous_dense")
    if threshold is not None:
        return bool(apl < float(threshold))
    return classe is not None and classe <= 1


def territory_rows(run: AplRun, territory: Territory | None = None) -> list[CommuneApl]:
    """The run's value for every unit of the territory (all units when None), by code INSEE."""
    from oasis.territories.models import Commune

    units = territory.units() if territory is not None else Commune.objects.units()
    stored = AplResult.objects.filter(run=run) if territory is None else AplResult.objects.filter(run=run, commune__in=units)
    results = {commune_id: (apl, classe) for commune_id, apl, classe in stored.values_list("commune_id", "apl", "classe")}
    fields = ("code_insee", "nom", "pop_totale_drees", "pop_standardisee", "longitude", "latitude", "population")
    where = "france" if territory is None else f"{territory.niveau}:{territory.code}"
    communes = kept(f"communes-apl:{where}", lambda: list(units.order_by("code_insee").values_list(*fields)))
    rows = []
    for code, nom, pop_totale, pop_standardisee, longitude, latitude, population in communes:
        apl, classe = results.get(code, (None, None))
        rows.append(
            CommuneApl(
                code,
                nom,
                apl,
                pop_totale,
                pop_standardisee,
                is_under_served(run, apl, classe),
                classe,
                longitude,
                latitude,
                population,
            )
        )
    return rows


def territory_summary(run: AplRun, rows: list[CommuneApl]) -> dict[str, Any]:
    """Mean APL weighted by standardised population; inhabitants (INSEE population municipale) of the under-served
    units and of all."""
    values = np.array([np.nan if row.apl is None else row.apl for row in rows])
    weights = np.array([row.pop_standardisee or 0.0 for row in rows])
    population = np.array([float(row.population) for row in rows])
    valid = ~np.isnan(values)
    mean = weighted_mean_by_group(values[valid], weights[valid], np.zeros(int(valid.sum()), dtype=np.int64), 1)[0]
    under = np.array([bool(row.sous_dense_estimation) for row in rows])
    return {
        "apl_moyen": None if np.isnan(mean) else float(mean),
        "communes": len(rows),
        "communes_sous_dotees": int(under.sum()),
        "population_sous_dotee": float(population[under].sum()),
        "population": float(population.sum()),
    }
