"""A computation's APL averaged by région, département, EPCI or bassin de vie (weighted by demand)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oasis.accessibility.computation import Computation
from oasis.accessibility.inputs import (
    demand_per_unit,
)
from oasis.core.apl import population_below, weighted_mean_by_group

AGGREGATION_LEVELS = ("region", "departement", "epci", "bassin_de_vie")


@dataclass(frozen=True)
class GroupApl:
    code: str
    apl_moyen: float | None
    population: float  # INSEE population municipale, as every page counts inhabitants
    pop_sous_dotee: float


def aggregate(computation: Computation, level: str) -> list[GroupApl]:
    """APL of every région, département, EPCI or bassin de vie: mean weighted by the profession's demand
    (standardised population for GPs), population (INSEE population municipale) of the under-served communes."""
    if level not in AGGREGATION_LEVELS:
        raise ValueError(f"Niveau d'agrégation inconnu : « {level} » ({', '.join(AGGREGATION_LEVELS)}).")
    labels = np.array(getattr(computation.units, level))
    codes, group = np.unique(labels, return_inverse=True)
    group = np.where(labels == "", -1, group)  # communes outside any EPCI stay out of the EPCI figures
    valid = ~np.isnan(computation.apl)
    group = np.where(valid, group, -1)
    weights = demand_per_unit(computation.parameters, computation.units)
    population = computation.units.population  # inhabitants, as every page counts them
    means = weighted_mean_by_group(np.nan_to_num(computation.apl), weights, group, len(codes))
    if computation.parameters.seuil_sous_dense is not None:
        under = population_below(computation.apl, population, computation.parameters.seuil_sous_dense, group, len(codes))
    else:
        classes = computation.classes if computation.classes is not None else np.full(len(group), -1)
        under = population_below(np.where(classes >= 0, classes, 99), population, 2, group, len(codes))
    totals = np.bincount(group[group >= 0], weights=population[group >= 0], minlength=len(codes))
    return [
        GroupApl(str(code), None if np.isnan(mean) else float(mean), float(total), float(below))
        for code, mean, total, below in zip(codes, means, totals, under, strict=True)
        if code != ""
    ]
