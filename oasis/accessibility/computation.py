"""One APL computation: a profession's supply and demand through the cached model, with its inputs and parameters."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from oasis.accessibility.caching import _models_lock, cached_travel_times, get_model
from oasis.accessibility.enums import Variante
from oasis.accessibility.inputs import (
    Supply,
    build_supply,
    demand_per_unit,
)
from oasis.accessibility.params import AplParameters, ProfessionParameters, load_parameters
from oasis.accessibility.traveltime import EstimateProvider, TravelTimeProvider
from oasis.accessibility.units import Units, load_units
from oasis.core.apl import AplModel, classify

ENGINE_VERSION = "2"  # 2: inhabitants counted in the INSEE population municipale, one road model


"""Part of every run's content hash: bump it when a change of code changes the figures."""


@dataclass
class Computation:
    parameters: ProfessionParameters
    variante: str
    units: Units
    supply: Supply
    model: AplModel
    apl: np.ndarray  # (n,) in the profession's unit, NaN where undefined
    classes: np.ndarray | None  # (n,) 0..4, -1 where undefined
    summary: dict[str, Any]
    inputs: dict[str, Any]
    parameters_used: dict[str, Any]

    @property
    def content_hash(self) -> str:
        payload = {
            "moteur": ENGINE_VERSION,
            "parametres": self.parameters_used,
            "entrees": self.inputs,
            "variante": self.variante,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def default_provider(parameters: AplParameters) -> TravelTimeProvider:
    return EstimateProvider(parameters.travel)


def compute(
    profession: str,
    variante: str = Variante.ENSEMBLE,
    provider: TravelTimeProvider | None = None,
    parameters: AplParameters | None = None,
) -> Computation:
    """Compute the national APL of a profession (nothing is written)."""
    if variante not in Variante.values:
        raise ValueError(f"Variante inconnue : « {variante} ». Variantes : {', '.join(Variante.values)}.")
    all_parameters = parameters or load_parameters()
    profession_parameters = all_parameters.for_profession(profession)
    provider = provider or default_provider(all_parameters)
    units = load_units()
    supply = build_supply(profession_parameters, variante, units)
    model, pairs, build_seconds = get_model(profession_parameters, provider, units)
    apl = model.apl(supply.values) * profession_parameters.multiplicateur
    valid = units.has_demand_data
    apl[~valid] = np.nan
    weights = np.where(valid, demand_per_unit(profession_parameters, units), 0.0)
    population = units.population  # inhabitants, as every page counts them
    mean = float(np.sum(np.nan_to_num(apl) * weights) / weights.sum())
    summary: dict[str, Any] = {
        "apl_moyen_national": mean,
        "unite": profession_parameters.unite,
        "communes_calculees": int(valid.sum()),
        "offre_totale": float(supply.values.sum()),
        "offre_sans_demande_accessible": model.lost_supply(supply.values),
        "couples_temps_de_trajet": pairs,
        "construction_matrice_secondes": round(build_seconds, 3),
        "offre": supply.description,
    }
    classes = None
    if profession_parameters.seuil_sous_dense is not None:
        below = valid & (apl < profession_parameters.seuil_sous_dense)
        summary.update(
            seuil_sous_dense=profession_parameters.seuil_sous_dense,
            communes_sous_denses=int(below.sum()),
            population_sous_dense=float(population[below].sum()),
            part_population_sous_dense=float(population[below].sum() / population[valid].sum()),
        )
    if profession_parameters.classes_relatives is not None:
        bounds = [mean * ratio for ratio in profession_parameters.classes_relatives]
        classes = np.where(valid, classify(np.nan_to_num(apl), bounds), -1)
        summary.update(
            bornes_classes=bounds,
            population_par_classe={
                label: float(population[classes == position].sum()) for position, label in enumerate(all_parameters.class_labels)
            },
        )
    inputs = {
        "paquet_de_donnees": units.fingerprint,
        "offre": {
            key: supply.description[key] for key in ("source", "millesime", "sha256", "empreinte") if key in supply.description
        },
        "demande": {
            "pop_standardisee": "DREES, population 2021",
            "pop_totale": "DREES, population 2021",
            "pop_femmes": f"DREES, population 2021 × part des femmes {profession_parameters.part_femmes}",
        }[profession_parameters.demande],
        "temps_de_trajet": provider.describe(),
    }
    parameters_used = {
        "fichier": all_parameters.path.name,
        "version": all_parameters.version,
        "profession": profession_parameters.raw,
        "moteur": ENGINE_VERSION,
    }
    return Computation(profession_parameters, variante, units, supply, model, apl, classes, summary, inputs, parameters_used)


def prepare_all(provider: TravelTimeProvider | None = None) -> TravelTimeProvider:
    """Build the widest travel-time matrix of all professions once, so that each profession's is cut from it."""
    parameters = load_parameters()
    provider = provider or default_provider(parameters)
    widest = max(p.decay.max_minutes for p in parameters.professions.values())
    with _models_lock:
        cached_travel_times(provider, load_units(), widest)
    return provider


def compute_all(variante: str = Variante.ENSEMBLE, provider: TravelTimeProvider | None = None) -> list[Computation]:
    """Every profession nationally, on one travel-time matrix."""
    provider = prepare_all(provider)
    return [compute(slug, variante, provider) for slug in load_parameters().professions]
