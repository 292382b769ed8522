"""Where would a new maison de santé serve the most under-served people: siting on a territory, with its impact."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from oasis.accessibility.caching import cached_travel_times
from oasis.accessibility.computation import Computation, compute, default_provider
from oasis.accessibility.enums import Variante
from oasis.accessibility.params import load_parameters
from oasis.accessibility.units import Units, load_units
from oasis.accessibility.whatif import what_if
from oasis.core.siting import GREEDY_BOUND, SitingResult, mclp_exact, mclp_greedy, p_median_exact
from oasis.core.traveltime import TravelTimes, to_sparse
from oasis.references.services import finess_care_sites
from oasis.supply.enums import Equipement
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes
from oasis.territories.services import POPULATION_SOURCE, Territory
from oasis.verdicts.services import verdicts

DEMANDS = {
    "population": "population standardisée (toutes les communes)",
    "sous-denses": "population des communes sous-denses (arrêté de l'ARS, sinon APL officielle de la DREES, sinon estimation)",
    "deficit": "déficit d'APL × population standardisée",
}
METHODS = ("exacte", "glouton")
MODELS = {
    "couverture": "couverture maximale : le plus d'habitants possible à moins du temps de trajet choisi",
    "p-median": "distance moyenne minimale : le temps de trajet moyen le plus court des habitants à leur structure",
}

UNKNOWN_MODEL = "Modèle inconnu : « {value} » ({known})."
P_MEDIAN_NEEDS_EXACT = "La distance moyenne minimale se calcule par la méthode exacte."
UNKNOWN_DEMAND = "Demande inconnue : « {value} » ({known})."
UNKNOWN_METHOD = "Méthode inconnue : « {value} » ({known})."
SITES_OUT_OF_RANGE = "Le nombre de sites doit être compris entre 1 et 50."
MINUTES_OUT_OF_RANGE = "Le temps de couverture doit être compris entre 5 et 60 minutes."
PROFESSIONALS_OUT_OF_RANGE = "Le nombre de professionnels par site doit être compris entre 1 et 30."
TOO_FEW_CANDIDATES = (
    "{asked} site{s} demandé{s}, mais {territoire} n'a que {free} commune{free_s} candidate{free_s} sans maison ou "
    "centre de santé (population d'au moins {population_min} habitants{avec}) : demandez moins de sites, élargissez le "
    "territoire ou baissez la population minimale."
)


@dataclass
class PlanningOptions:
    territory: Territory | None  # None: France entière
    sites: int = 3
    profession: str = Equipement.GENERALISTE.value
    demande: str = "population"
    methode: str = "exacte"
    minutes: float = 20.0
    professionnels_par_site: int = 3
    population_min: int = 0
    avec_professionnels: bool = False  # candidates must already have one professional of the profession
    capacite: float | None = None  # weight a site can serve (patients), none = unlimited
    modele: str = "couverture"

    def check(self) -> None:
        if self.modele not in MODELS:
            raise ValueError(UNKNOWN_MODEL.format(value=self.modele, known=", ".join(MODELS)))
        if self.modele == "p-median" and self.methode != "exacte":
            raise ValueError(P_MEDIAN_NEEDS_EXACT)
        if self.demande not in DEMANDS:
            raise ValueError(UNKNOWN_DEMAND.format(value=self.demande, known=", ".join(DEMANDS)))
        if self.methode not in METHODS:
            raise ValueError(UNKNOWN_METHOD.format(value=self.methode, known=", ".join(METHODS)))
        if not 1 <= self.sites <= 50:
            raise ValueError(SITES_OUT_OF_RANGE)
        if not 5 <= self.minutes <= 60:
            raise ValueError(MINUTES_OUT_OF_RANGE)
        if not 1 <= self.professionnels_par_site <= 30:
            raise ValueError(PROFESSIONALS_OUT_OF_RANGE)


@dataclass
class ProposedSite:
    rang: int
    code_insee: str
    nom: str
    longitude: float
    latitude: float
    population_commune: float
    population_nouvellement_couverte: float
    apl_avant: float | None
    apl_apres: float | None
    population_sortant_sous_densite: float
    communes_couvertes: int
    raisons: list[str] = field(default_factory=list)
    variations_apl: list[tuple[str, float, float]] = field(default_factory=list)  # (code, before, after) per changed commune


@dataclass
class PlanningResult:
    options: PlanningOptions
    sites: list[ProposedSite]
    existing: list[tuple[str, str, float, float]]  # code, nom, lon, lat of fixed sites
    objective: float
    objective_existing: float
    demand_total: float
    population_couverte_avant: float
    population_couverte_apres: float
    population_totale: float
    apl_impact: dict[str, Any]
    status: str
    solve_seconds: float
    candidates: int
    demand_places: int
    provenance: dict[str, Any]


def _in_territory(units: Units, territory: Territory | None) -> np.ndarray:
    if territory is None:
        return np.ones(units.n, dtype=bool)
    codes = set(territory.units().values_list("code_insee", flat=True))
    return np.array([code in codes for code in units.codes])


MISSING_CLASS_BOUNDS = "Bornes des classes de zonage absentes du calcul d'APL"


def _existing_sites(units: Units) -> tuple[np.ndarray, str]:
    """Units with a maison or centre de santé (BPE, and FINESS when imported), and where they come from."""
    present = np.zeros(units.n, dtype=bool)
    millesime = bpe_millesimes()[0]
    codes = set(
        SupplyCount.objects.filter(
            millesime=millesime, nombre__gt=0, equipement__in=[Equipement.MAISON_DE_SANTE, Equipement.CENTRE_DE_SANTE]
        ).values_list("commune_id", flat=True)
    )
    finess, finess_label = finess_care_sites()
    for code in codes | finess:
        if code in units.index:
            present[units.index[code]] = True
    label = f"maisons et centres de santé de la BPE {millesime}" + (f" et de {finess_label}" if finess_label else "")
    return present, label + ", conservés"


def under_served_mask(units: Units, profession: str) -> np.ndarray:
    """Boolean (n,): the unit is « sous-dense » by the verdict (``oasis.verdicts``: ARS order, official APL, estimate)."""
    found = verdicts(None, profession)
    return np.array([item is not None and item.sous_dense is True for item in map(found.get, units.codes)], dtype=bool)


def _weights(kind: str, apl: np.ndarray, units: Units, threshold: float, profession: str) -> np.ndarray:
    pop_std: np.ndarray = np.nan_to_num(units.pop_standardisee)
    if kind == "population":
        return pop_std
    valid = ~np.isnan(apl)
    weights: np.ndarray
    if kind == "sous-denses":
        weights = np.where(under_served_mask(units, profession), units.population, 0.0)
    else:
        weights = np.where(valid, np.maximum(threshold - np.nan_to_num(apl), 0.0), 0.0) * pop_std
    return weights


def coverage_matrix(times: TravelTimes, minutes: float) -> sp.csr_matrix:
    """Boolean (n, n): demand place i is within ``minutes`` of site j (explicit zeros kept as coverage)."""
    keep = times.minutes <= minutes
    restricted = TravelTimes(times.origin[keep], times.destination[keep], times.minutes[keep], times.n, minutes)
    return to_sparse(restricted, np.ones(restricted.pairs))


# The national coverage matrix for each number of minutes, kept with the travel times it was built from.
_coverage: dict[float, tuple[TravelTimes, sp.csr_matrix]] = {}
_coverage_lock = threading.Lock()


def cached_coverage(times: TravelTimes, minutes: float) -> sp.csr_matrix:
    """``coverage_matrix``, built once per travel-time matrix and number of minutes in each process."""
    with _coverage_lock:
        kept = _coverage.get(minutes)
        if kept is None or kept[0] is not times:
            kept = (times, coverage_matrix(times, minutes))
            _coverage[minutes] = kept
        return kept[1]


def demand_threshold(computation: Computation) -> float:
    """The APL under which a commune's people count as under-served, in the profession's unit: its official threshold
    (2.5 consultations for GPs), else the upper bound of the « sous-doté » class (the second class bound)."""
    threshold = computation.parameters.seuil_sous_dense
    if threshold is not None:
        return float(threshold)
    bounds = computation.summary.get("bornes_classes")
    if not bounds or len(bounds) < 2:
        raise ValueError(
            f"{MISSING_CLASS_BOUNDS} ({computation.parameters.profession}, calcul {computation.content_hash[:12]}) : "
            "la demande « sous-denses » ou « déficit » ne peut pas être calculée."
        )
    return float(bounds[1])


def plan(options: PlanningOptions) -> PlanningResult:
    """Propose sites on a territory, explain each, and measure what N professionals there would change."""
    options.check()
    parameters = load_parameters()
    units = load_units()
    provider = default_provider(parameters)
    computation = compute(options.profession, Variante.ENSEMBLE)
    threshold = demand_threshold(computation)
    times = cached_travel_times(provider, units, max(options.minutes, computation.parameters.decay.max_minutes))
    coverage = cached_coverage(times, options.minutes)

    inside = _in_territory(units, options.territory)
    demand_index = np.flatnonzero(inside)
    weights_all = _weights(options.demande, computation.apl, units, threshold, options.profession)
    existing, existing_label = _existing_sites(units)
    population = units.population  # inhabitants, the figure of the territory page (INSEE population municipale)
    candidate_mask = inside & (population >= options.population_min)
    if options.avec_professionnels:
        candidate_mask &= computation.supply.counts > 0
    fixed_mask = existing & inside
    candidate_index = np.flatnonzero(candidate_mask | fixed_mask)
    free = candidate_index.size - int(fixed_mask.sum())
    if options.sites > free:
        raise ValueError(
            TOO_FEW_CANDIDATES.format(
                asked=options.sites,
                s="s" if options.sites > 1 else "",
                territoire=options.territory.nom if options.territory else "la France",
                free=free,
                free_s="s" if free > 1 else "",
                population_min=options.population_min,
                avec=", avec des professionnels" if options.avec_professionnels else "",
            )
        )
    position = {int(unit): k for k, unit in enumerate(candidate_index)}
    fixed_local = np.array([position[int(u)] for u in np.flatnonzero(fixed_mask)], dtype=np.int64)
    sub = coverage[demand_index, :][:, candidate_index].tocsc()
    weights = weights_all[demand_index]

    started = time.perf_counter()
    result: SitingResult
    capacity = None if options.capacite is None else np.full(candidate_index.size, float(options.capacite))
    if options.modele == "p-median":
        keep = (
            np.isin(times.origin, demand_index) & np.isin(times.destination, candidate_index) & (times.minutes <= options.minutes)
        )
        demand_position = {int(unit): k for k, unit in enumerate(demand_index)}
        costs = sp.coo_matrix(
            (
                times.minutes[keep],
                ([demand_position[int(o)] for o in times.origin[keep]], [position[int(d)] for d in times.destination[keep]]),
            ),
            shape=(demand_index.size, candidate_index.size),
        )
        result = p_median_exact(
            costs, weights, options.sites, fixed_local, capacity=capacity, unserved_penalty_minutes=2 * options.minutes
        )
    elif options.methode == "exacte":
        result = mclp_exact(sub, weights, options.sites, fixed_local, capacity=capacity)
    else:
        result = mclp_greedy(sub, weights, options.sites, fixed_local)
    solve_seconds = time.perf_counter() - started

    chosen_units = candidate_index[result.sites]
    # Order the sites by marginal gain and say what each one adds.
    covered = (
        (np.asarray(sub[:, fixed_local].sum(axis=1)).ravel() > 0) if fixed_local.size else np.zeros(demand_index.size, dtype=bool)
    )
    covered_before = covered.copy()
    remaining = list(zip(result.sites.tolist(), chosen_units.tolist(), strict=True))
    ordered: list[tuple[int, int, np.ndarray]] = []
    while remaining:
        gains = [
            float(weights[np.asarray(sub[:, local].toarray()).ravel().astype(bool) & ~covered].sum()) for local, _ in remaining
        ]
        best = int(np.argmax(gains))
        local, unit = remaining.pop(best)
        newly = np.asarray(sub[:, local].toarray()).ravel().astype(bool) & ~covered
        covered |= newly
        ordered.append((local, unit, newly))

    per_site = []
    combined_changes = []
    for rank, (local, unit, newly) in enumerate(ordered, start=1):
        change = [{"type": "structure", "commune": units.codes[unit], "nombre": options.professionnels_par_site}]
        combined_changes += change
        impact = what_if(computation, change)
        site_column = np.asarray(sub[:, local].toarray()).ravel().astype(bool)
        reasons = [
            f"couvre {int(population[demand_index][newly].sum()):,} habitants à moins de {options.minutes:g} min "
            f"non couverts par une structure existante ou un site mieux placé".replace(",", "\u202f"),
        ]
        apl_before = computation.apl[unit]
        if impact.summary.get("population_sortant_sous_densite"):
            reasons.append(
                f"{int(impact.summary['population_sortant_sous_densite']):,} habitants sortiraient de la sous-densité".replace(
                    ",", "\u202f"
                )
            )
        per_site.append(
            ProposedSite(
                rang=rank,
                code_insee=units.codes[unit],
                nom="",
                longitude=float(units.longitude[unit]),
                latitude=float(units.latitude[unit]),
                population_commune=float(population[unit]),
                population_nouvellement_couverte=float(population[demand_index][newly].sum()),
                apl_avant=None if np.isnan(apl_before) else float(apl_before),
                apl_apres=None if np.isnan(impact.after[unit]) else float(impact.after[unit]),
                population_sortant_sous_densite=float(impact.summary.get("population_sortant_sous_densite", 0.0)),
                communes_couvertes=int(site_column.sum()),
                raisons=reasons,
                variations_apl=[
                    (units.codes[k], float(impact.before[k]), float(impact.after[k]))
                    for k in np.flatnonzero(~np.isnan(impact.before) & (np.abs(impact.after - impact.before) > 1e-12))
                ],
            )
        )
    from oasis.territories.models import Commune

    names = dict(Commune.objects.filter(code_insee__in=[s.code_insee for s in per_site]).values_list("code_insee", "nom"))
    for site in per_site:
        site.nom = names.get(site.code_insee, site.code_insee)
    existing_rows = list(
        Commune.objects.filter(code_insee__in=[units.codes[u] for u in np.flatnonzero(fixed_mask)]).values_list(
            "code_insee", "nom", "longitude", "latitude"
        )
    )
    combined = what_if(computation, combined_changes) if combined_changes else None
    population_demand = population[demand_index]
    return PlanningResult(
        options=options,
        sites=per_site,
        existing=existing_rows,
        objective=float(result.objective),
        objective_existing=float(weights[covered_before].sum()),
        demand_total=float(weights.sum()),
        population_couverte_avant=float(population_demand[covered_before].sum()),
        population_couverte_apres=float(population_demand[covered].sum()),
        population_totale=float(population_demand.sum()),
        apl_impact={} if combined is None else combined.summary,
        status=result.status,
        solve_seconds=solve_seconds,
        candidates=int(candidate_index.size - fixed_local.size),
        demand_places=int(demand_index.size),
        provenance={
            "calcul_apl": computation.content_hash,
            "demande": DEMANDS[options.demande],
            "couverture": f"{options.minutes:g} minutes, {provider.describe()['libelle']}",
            "structures_existantes": existing_label,
            "modele": MODELS[options.modele],
            "methode": "programme linéaire en nombres entiers (HiGHS), optimum prouvé"
            if result.status == "optimal"
            else f"heuristique gloutonne (au moins {GREEDY_BOUND:.0%} de l'optimum)",
            "impact": f"{options.professionnels_par_site} professionnels nouvellement installés par site (méthode DREES)",
            "population": POPULATION_SOURCE,
        },
    )
