"""APL runs, territory figures and what-if scenarios: the one place pages, API and CLI get accessibility from."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction

from oasis.accessibility.enums import ModePratique, Variante
from oasis.accessibility.models import AplAggregate, AplResult, AplRun, Practitioner, PractitionerImport, Scenario, ScenarioResult
from oasis.accessibility.params import AplParameters, ProfessionParameters, load_parameters
from oasis.accessibility.traveltime import EstimateProvider, TravelTimeProvider
from oasis.accessibility.units import Units, load_units
from oasis.core.apl import AplModel, classify, counted_activity, population_below, weight_matrix, weighted_mean_by_group
from oasis.core.traveltime import TravelTimes
from oasis.references.enums import ReferenceKind
from oasis.references.models import ReferenceImport, RppsCount
from oasis.supply.enums import CNAM_PROFESSIONS
from oasis.supply.models import CnamDemography, SupplyCount
from oasis.territories.services import Territory

BATCH_SIZE = 2000
ENGINE_VERSION = "1"
"""Part of every run's content hash: bump it when a change of code changes the figures."""


@dataclass
class Supply:
    """Supply per unit (counted acts for GPs, ETP otherwise) and how it was obtained."""

    values: np.ndarray  # (n,)
    counts: np.ndarray  # (n,) practitioners counted in each unit (before any re-levelling)
    per_new_practitioner: float  # what one more practitioner adds
    description: dict[str, Any]


def _bpe_latest() -> int:
    latest = SupplyCount.objects.order_by("-millesime").values_list("millesime", flat=True).first()
    if latest is None:
        raise LookupError("Aucune donnée d'offre en base : lancez « oasis data load ».")
    return int(latest)


RPPS_LIBERAL = "L"
"""The model counts liberal practitioners of the Annuaire santé, as the BPE does."""


def latest_rpps(profession: str) -> ReferenceImport | None:
    """The newest Annuaire santé import that counts this profession (the model's supply when there is one)."""
    reference = ReferenceImport.objects.latest_of(ReferenceKind.RPPS)
    if reference is None or not RppsCount.objects.filter(reference=reference, profession=profession).exists():
        return None
    return reference


def active_import(profession: str) -> PractitionerImport | None:
    return PractitionerImport.objects.filter(profession=profession, active=True).order_by("-imported_at").first()


def build_supply(parameters: ProfessionParameters, variante: str, units: Units) -> Supply:
    """Supply from imported per-practitioner activity when there is one, else imputed from the counts per commune:
    the liberal practitioners of the newest Annuaire santé (RPPS) import when there is one, else the BPE."""
    source = active_import(parameters.profession)
    if source is not None:
        return _supply_from_import(parameters, variante, units, source)
    counts = np.zeros(units.n)
    rpps = latest_rpps(parameters.profession)
    rule = parameters.imputation
    if rpps is not None:
        for code, nombre in RppsCount.objects.filter(
            reference=rpps, profession=parameters.profession, mode=RPPS_LIBERAL
        ).values_list("commune_id", "personnes"):
            counts[units.index[code]] += nombre
        origin: dict[str, Any] = {"source": "rpps", "millesime": rpps.millesime, "empreinte": rpps.sha256[:16]}
        relevel = None  # the Annuaire santé is current: no re-levelling on older control totals
    else:
        millesime = _bpe_latest()
        for code, nombre in SupplyCount.objects.filter(equipement=parameters.profession, millesime=millesime).values_list(
            "commune_id", "nombre"
        ):
            counts[units.index[code]] += nombre
        origin = {"source": "bpe", "millesime": millesime}
        relevel = _cnam_relevel(parameters, units, counts) if rule.get("recalage_departemental") else None
    valid = units.has_demand_data
    present = counts.copy()  # practitioners actually counted in each commune (what a departure can remove)
    if relevel is not None:
        counts = counts * relevel[0]
    description: dict[str, Any] = {
        **origin,
        "praticiens": int(counts.sum()),
        "praticiens_hors_champ": int(counts[~valid].sum()),
        "regle": rule["regle"],
        "variante_effective": (
            f"sans effet : âges inconnus ({origin['source'].upper()})" if variante == Variante.MOINS_65 else variante
        ),
    }
    if relevel is not None:
        description.update(recalage=relevel[1], praticiens_recales=round(float(counts.sum()), 1))
    if rule["regle"] == "calage_moyenne_nationale":
        demand = _demand(parameters, units)
        per_practitioner = float(rule["apl_moyen_publie"]) * float(demand[valid].sum()) / float(counts[valid].sum())
        description.update(
            activite_par_praticien=round(per_practitioner, 1),
            calage=f"APL moyen publié {rule['apl_moyen_publie']} ({rule['millesime_publie']}, {rule['variante_publiee']})",
        )
        new = parameters.caps.newly_installed if parameters.caps else per_practitioner
    else:
        per_practitioner = float(rule["etp_par_praticien"])
        description.update(etp_par_praticien=per_practitioner)
        new = per_practitioner
    values = counts * per_practitioner
    values[~valid] = 0.0  # outside the DREES field (Mayotte): no demand data, no APL
    return Supply(values, present, new, description)


def _cnam_relevel(parameters: ProfessionParameters, units: Units, counts: np.ndarray) -> tuple[np.ndarray, str] | None:
    """Per-unit factor bringing each département's BPE count to its Cnam count (the BPE keeps the distribution)."""
    labels = [label for label, equipement in CNAM_PROFESSIONS.items() if equipement == parameters.profession]
    if not labels:
        return None
    rows = CnamDemography.objects.filter(profession=labels[0]).exclude(departement="999")
    cnam = dict(rows.values_list("departement", "effectif"))
    annee = rows.values_list("annee", flat=True).first()
    departements = np.array(units.departement)
    factor = np.ones(units.n)
    for departement in np.unique(departements):
        members = departements == departement
        bpe = counts[members].sum()
        if departement in cnam and bpe > 0:
            factor[members] = cnam[departement] / bpe
    return factor, f"effectifs BPE recalés par département sur la Cnam {annee} ({labels[0]})"


def _supply_from_import(parameters: ProfessionParameters, variante: str, units: Units, source: PractitionerImport) -> Supply:
    rows = Practitioner.objects.filter(source=source).values_list("commune_id", "actes", "etp", "age", "mode", "nouvel_installe")
    values = np.zeros(units.n)
    counts = np.zeros(units.n)
    excluded_age = 0
    is_gp = parameters.caps is not None
    codes, acts, etps, centres, newly = [], [], [], [], []
    for code, actes, etp, age, mode, nouvel in rows:
        if variante == Variante.MOINS_65 and age is not None and age > 65:
            excluded_age += 1
            continue
        codes.append(units.index[code])
        acts.append(actes or 0.0)
        etps.append(etp if etp is not None else 1.0)
        centres.append(mode == ModePratique.CENTRE_DE_SANTE)
        newly.append(nouvel)
    index = np.array(codes, dtype=np.int64)
    if is_gp and parameters.caps is not None:
        counted = counted_activity(acts, parameters.caps, centre_de_sante=centres, newly_installed=newly)
        per_new = parameters.caps.newly_installed
    else:
        counted = np.array(etps, dtype=np.float64)
        per_new = 1.0
    np.add.at(values, index, counted)
    np.add.at(counts, index, 1.0)
    values[~units.has_demand_data] = 0.0
    return Supply(
        values,
        counts,
        per_new,
        {
            "source": "import",
            "fichier": source.fichier,
            "sha256": source.sha256,
            "millesime": source.millesime,
            "praticiens": int(counts.sum()),
            "exclus_plus_de_65_ans": excluded_age,
            "regle": "activité réelle, bornes DREES" if is_gp else "ETP déclarés",
        },
    )


def _demand(parameters: ProfessionParameters, units: Units) -> np.ndarray:
    if parameters.demande == "pop_standardisee":
        values = units.pop_standardisee
    elif parameters.demande == "pop_totale":
        values = units.pop_totale
    else:
        values = units.pop_totale * float(parameters.part_femmes or 0.5)
    demand: np.ndarray = np.nan_to_num(values, nan=0.0)
    return demand


# --- models, cached per process ---------------------------------------------------------------------

_models: dict[str, tuple[AplModel, int, float]] = {}
_times: dict[str, TravelTimes] = {}
_models_lock = threading.Lock()


def cached_travel_times(provider: TravelTimeProvider, units: Units, max_minutes: float) -> TravelTimes:
    """Times up to ``max_minutes``, cut from a wider matrix of the same provider when one was built."""
    key = json.dumps({"temps": provider.describe(), "unites": units.fingerprint}, sort_keys=True, default=str)
    cached = _times.get(key)
    if cached is not None and cached.max_minutes >= max_minutes:
        return cached if cached.max_minutes == max_minutes else cached.restricted(max_minutes)
    times = provider.travel_times(units, max_minutes)
    _times[key] = times
    return times


def _model_key(parameters: ProfessionParameters, provider: TravelTimeProvider, units: Units) -> str:
    payload = {
        "decay": [parameters.decay.upper_minutes, parameters.decay.weights],
        "demande": parameters.demande,
        "part_femmes": parameters.part_femmes,
        "temps": provider.describe(),
        "unites": units.fingerprint,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def get_model(parameters: ProfessionParameters, provider: TravelTimeProvider, units: Units) -> tuple[AplModel, int, float]:
    """The APL model (weights and catchment demand) for a profession; (model, pairs, build seconds)."""
    key = _model_key(parameters, provider, units)
    with _models_lock:
        if key not in _models:
            started = time.perf_counter()
            times = cached_travel_times(provider, units, parameters.decay.max_minutes)
            model = AplModel(weight_matrix(times, parameters.decay), _demand(parameters, units))
            if len(_models) > 16:
                _models.clear()
                _times.clear()
            _models[key] = (model, times.pairs, time.perf_counter() - started)
        return _models[key]


# --- runs ----------------------------------------------------------------------------------------------


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
    weights = np.where(valid, _demand(profession_parameters, units), 0.0)
    population = np.nan_to_num(units.pop_totale)
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
    }
    return Computation(profession_parameters, variante, units, supply, model, apl, classes, summary, inputs, parameters_used)


def compute_all(variante: str = Variante.ENSEMBLE, provider: TravelTimeProvider | None = None) -> list[Computation]:
    """Every profession nationally; the widest travel-time matrix is built once and cut for the others."""
    parameters = load_parameters()
    provider = provider or default_provider(parameters)
    widest = max(p.decay.max_minutes for p in parameters.professions.values())
    with _models_lock:
        cached_travel_times(provider, load_units(), widest)
    return [compute(slug, variante, provider, parameters) for slug in parameters.professions]


def run_apl(
    profession: str,
    variante: str = Variante.ENSEMBLE,
    provider: TravelTimeProvider | None = None,
    parameters: AplParameters | None = None,
) -> AplRun:
    """The persisted run for these inputs and parameters: reused when it exists, else computed and stored."""
    started = time.perf_counter()
    computation = compute(profession, variante, provider, parameters)
    existing = AplRun.objects.filter(content_hash=computation.content_hash).first()
    if existing is not None:
        return existing
    try:
        return _store_run(computation, profession, variante, time.perf_counter() - started)
    except IntegrityError:
        # Another request or process stored the same computation meanwhile (first visitors after an import).
        return AplRun.objects.get(content_hash=computation.content_hash)


def _store_run(computation: Computation, profession: str, variante: str, duration_seconds: float) -> AplRun:
    with transaction.atomic():
        run = AplRun.objects.create(
            content_hash=computation.content_hash,
            profession=profession,
            variante=variante,
            parametres=computation.parameters_used,
            entrees=computation.inputs,
            resume=computation.summary,
            duration_seconds=duration_seconds,
        )
        results = [
            AplResult(
                run=run,
                commune_id=code,
                apl=float(computation.apl[position]),
                classe=None if computation.classes is None else int(computation.classes[position]),
            )
            for position, code in enumerate(computation.units.codes)
            if not np.isnan(computation.apl[position])
        ]
        AplResult.objects.bulk_create(results, batch_size=BATCH_SIZE)
        aggregates = [
            AplAggregate(
                run=run,
                niveau=level,
                code=group.code,
                apl_moyen=group.apl_moyen,
                population=group.pop_totale,
                population_sous_dotee=group.pop_sous_dotee,
            )
            for level in AGGREGATION_LEVELS
            for group in aggregate(computation, level)
        ]
        population = np.nan_to_num(computation.units.pop_totale)[~np.isnan(computation.apl)]
        aggregates.append(
            AplAggregate(
                run=run,
                niveau="national",
                code="FR",
                apl_moyen=computation.summary["apl_moyen_national"],
                population=float(population.sum()),
                population_sous_dotee=float(sum(g.pop_sous_dotee for g in aggregate(computation, "region"))),
            )
        )
        AplAggregate.objects.bulk_create(aggregates, batch_size=BATCH_SIZE)
    return run


def current_run(profession: str, variante: str = Variante.ENSEMBLE) -> AplRun:
    """The stored run for today's data, parameters and default travel times; computed once if there is none.

    Looks the run up by its inputs instead of recomputing them, so that pages stay fast.
    """
    parameters = load_parameters()
    units = load_units()
    source = active_import(profession)
    provider = default_provider(parameters)
    candidates = AplRun.objects.filter(
        profession=profession,
        variante=variante,
        entrees__paquet_de_donnees=units.fingerprint,
        parametres__version=parameters.version,
    ).order_by("-created_at")
    rpps = None if source is not None else latest_rpps(profession)
    for run in candidates[:5]:
        offre = run.entrees.get("offre", {})
        if source is not None:
            same_supply = offre.get("sha256") == source.sha256
        elif rpps is not None:
            same_supply = offre.get("source") == "rpps" and offre.get("empreinte") == rpps.sha256[:16]
        else:
            same_supply = offre.get("source") == "bpe"
        if (
            same_supply
            and run.entrees.get("temps_de_trajet") == provider.describe()
            and run.parametres.get("profession") == parameters.for_profession(profession).raw
        ):
            return run
    return run_apl(profession, variante, provider, parameters)


# --- territories -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneApl:
    code_insee: str
    nom: str
    apl: float | None
    pop_totale: float | None
    pop_standardisee: float | None
    sous_dense: bool | None
    classe: int | None
    longitude: float
    latitude: float


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
    results = {
        commune_id: (apl, classe)
        for commune_id, apl, classe in AplResult.objects.filter(run=run, commune__in=units).values_list(
            "commune_id", "apl", "classe"
        )
    }
    rows = []
    for commune in units.order_by("code_insee").only(
        "code_insee", "nom", "pop_totale_drees", "pop_standardisee", "longitude", "latitude"
    ):
        apl, classe = results.get(commune.code_insee, (None, None))
        rows.append(
            CommuneApl(
                commune.code_insee,
                commune.nom,
                apl,
                commune.pop_totale_drees,
                commune.pop_standardisee,
                is_under_served(run, apl, classe),
                classe,
                commune.longitude,
                commune.latitude,
            )
        )
    return rows


def territory_summary(run: AplRun, rows: list[CommuneApl]) -> dict[str, Any]:
    """Mean APL weighted by standardised population; population (total) of the under-served units."""
    values = np.array([np.nan if row.apl is None else row.apl for row in rows])
    weights = np.array([row.pop_standardisee or 0.0 for row in rows])
    population = np.array([row.pop_totale or 0.0 for row in rows])
    valid = ~np.isnan(values)
    mean = weighted_mean_by_group(values[valid], weights[valid], np.zeros(int(valid.sum()), dtype=np.int64), 1)[0]
    under = np.array([bool(row.sous_dense) for row in rows])
    return {
        "apl_moyen": None if np.isnan(mean) else float(mean),
        "communes": len(rows),
        "communes_sous_dotees": int(under.sum()),
        "population_sous_dotee": float(population[under].sum()),
        "population": float(population.sum()),
    }


AGGREGATION_LEVELS = ("region", "departement", "epci", "bassin_de_vie")


@dataclass(frozen=True)
class GroupApl:
    code: str
    apl_moyen: float | None
    pop_totale: float
    pop_sous_dotee: float


def aggregate(computation: Computation, level: str) -> list[GroupApl]:
    """APL of every région, département, EPCI or bassin de vie: mean weighted by the profession's demand
    (standardised population for GPs), population of the under-served communes in total population."""
    if level not in AGGREGATION_LEVELS:
        raise ValueError(f"Niveau d'agrégation inconnu : « {level} » ({', '.join(AGGREGATION_LEVELS)}).")
    labels = np.array(getattr(computation.units, level))
    codes, group = np.unique(labels, return_inverse=True)
    group = np.where(labels == "", -1, group)  # communes outside any EPCI stay out of the EPCI figures
    valid = ~np.isnan(computation.apl)
    group = np.where(valid, group, -1)
    weights = _demand(computation.parameters, computation.units)
    population = np.nan_to_num(computation.units.pop_totale)
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


# --- scenarios ---------------------------------------------------------------------------------------


def _supply_change(computation: Computation, changes: list[dict[str, Any]]) -> dict[int, float]:
    units, supply = computation.units, computation.supply
    delta: dict[int, float] = {}
    for position, change in enumerate(changes, start=1):
        kind = change.get("type")
        if kind in ("ajout", "structure", "retrait"):
            code = str(change.get("commune", ""))
            if code not in units.index:
                hint = " (arrondissement attendu)" if code in units.plm else ""
                raise ValueError(f"Changement {position} : commune inconnue « {code} »{hint}.")
            number = change.get("nombre")
            if not isinstance(number, int) or number <= 0:
                raise ValueError(f"Changement {position} : « nombre » doit être un entier positif.")
            index = units.index[code]
            if kind == "retrait":
                present = supply.counts[index]
                if number > present:
                    raise ValueError(
                        f"Changement {position} : {number} départ(s) demandé(s) à {code}, {int(present)} praticien(s) présent(s)."
                    )
                amount = -number * supply.values[index] / present
            else:
                amount = number * supply.per_new_practitioner
            delta[index] = delta.get(index, 0.0) + amount
        elif kind == "depart_age":
            age = change.get("age")
            source = active_import(computation.parameters.profession)
            if source is None:
                raise ValueError(
                    f"Changement {position} : les âges des praticiens sont inconnus dans la BPE ; "
                    "importez l'activité par praticien (oasis import_practitioners) pour simuler les départs en retraite."
                )
            if not isinstance(age, int):
                raise ValueError(f"Changement {position} : « age » doit être un entier.")
            retiring = Practitioner.objects.filter(source=source, age__gt=age)
            for code, actes, etp, mode, nouvel in retiring.values_list("commune_id", "actes", "etp", "mode", "nouvel_installe"):
                index = units.index[code]
                if computation.parameters.caps is not None:
                    value = counted_activity(
                        [actes or 0.0],
                        computation.parameters.caps,
                        centre_de_sante=[mode == ModePratique.CENTRE_DE_SANTE],
                        newly_installed=[nouvel],
                    )[0]
                else:
                    value = etp if etp is not None else 1.0
                delta[index] = delta.get(index, 0.0) - float(value)
        else:
            raise ValueError(f"Changement {position} : type « {kind} » inconnu (ajout, retrait, structure, depart_age).")
    return delta


@dataclass
class WhatIf:
    before: np.ndarray
    after: np.ndarray
    summary: dict[str, Any]


def what_if(computation: Computation, changes: list[dict[str, Any]]) -> WhatIf:
    """New APL after the changes, from the base computation: only the changed columns are touched."""
    delta = _supply_change(computation, changes)
    change = computation.model.apl_change(delta) * computation.parameters.multiplicateur
    before = computation.apl
    after = before + change
    population = np.nan_to_num(computation.units.pop_totale)
    valid = ~np.isnan(before)
    touched = valid & (np.abs(change) > 1e-12)
    summary: dict[str, Any] = {
        "communes_modifiees": int(touched.sum()),
        "variation_offre": float(sum(delta.values())),
        "variation_apl_max": float(np.nanmax(np.abs(change))) if touched.any() else 0.0,
    }
    threshold = computation.parameters.seuil_sous_dense
    if threshold is not None:
        entering = valid & (before >= threshold) & (after < threshold)
        leaving = valid & (before < threshold) & (after >= threshold)
        summary.update(
            population_sortant_sous_densite=float(population[leaving].sum()),
            population_entrant_sous_densite=float(population[entering].sum()),
            communes_sortant_sous_densite=int(leaving.sum()),
            communes_entrant_sous_densite=int(entering.sum()),
        )
    return WhatIf(before, after, summary)


def run_scenario(run: AplRun, nom: str, changes: list[dict[str, Any]]) -> Scenario:
    """Apply changes to a stored run and store the scenario (the communes it changes, before and after)."""
    computation = compute(run.profession, run.variante)
    if computation.content_hash != run.content_hash:
        raise ValueError("Les données ou paramètres ont changé depuis ce calcul : relancez le calcul d'APL de base.")
    result = what_if(computation, changes)
    changed = np.flatnonzero(~np.isnan(result.before) & (np.abs(result.after - result.before) > 1e-12))
    with transaction.atomic():
        scenario = Scenario.objects.create(nom=nom, run=run, changements=changes, resume=result.summary)
        ScenarioResult.objects.bulk_create(
            [
                ScenarioResult(
                    scenario=scenario,
                    commune_id=computation.units.codes[position],
                    apl_avant=float(result.before[position]),
                    apl_apres=float(result.after[position]),
                )
                for position in changed
            ],
            batch_size=BATCH_SIZE,
        )
    return scenario
