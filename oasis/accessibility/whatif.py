"""What-if scenarios: supply changes applied to a computation, and stored scenarios."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction

from oasis.accessibility.computation import Computation, compute
from oasis.accessibility.enums import ModePratique
from oasis.accessibility.inputs import (
    active_import,
)
from oasis.accessibility.models import AplRun, Practitioner, Scenario, ScenarioResult
from oasis.accessibility.runs import BATCH_SIZE
from oasis.core.apl import counted_activity

# Refusals, asserted by reference in the tests; {position} counts the changes from 1.
UNKNOWN_COMMUNE = "Changement {position} : commune inconnue « {code} »{hint}."
PLM_HINT = " (arrondissement attendu)"
POSITIVE_NUMBER = "Changement {position} : « nombre » doit être un entier positif."
TOO_MANY_DEPARTURES = "Changement {position} : {number} départ(s) demandé(s) à {code}, {present} praticien(s) présent(s)."
AGES_UNKNOWN = (
    "Changement {position} : les âges des praticiens sont inconnus dans la BPE ; "
    "l'administrateur d'OASIS doit importer l'activité par praticien pour simuler les départs en retraite."
)
AGE_INTEGER = "Changement {position} : « age » doit être un entier."
UNKNOWN_TYPE = "Changement {position} : type « {kind} » inconnu (ajout, retrait, structure, depart_age)."
STALE_RUN = "Les données ou paramètres ont changé depuis ce calcul : relancez le calcul d'APL de base."


def _supply_change(computation: Computation, changes: list[dict[str, Any]]) -> dict[int, float]:
    units, supply = computation.units, computation.supply
    delta: dict[int, float] = {}
    for position, change in enumerate(changes, start=1):
        kind = change.get("type")
        if kind in ("ajout", "structure", "retrait"):
            code = str(change.get("commune", ""))
            if code not in units.index:
                hint = PLM_HINT if code in units.plm else ""
                raise ValueError(UNKNOWN_COMMUNE.format(position=position, code=code, hint=hint))
            number = change.get("nombre")
            if not isinstance(number, int) or number <= 0:
                raise ValueError(POSITIVE_NUMBER.format(position=position))
            index = units.index[code]
            if kind == "retrait":
                present = supply.counts[index]
                if number > present:
                    raise ValueError(
                        TOO_MANY_DEPARTURES.format(position=position, number=number, code=code, present=int(present))
                    )
                amount = -number * supply.values[index] / present
            else:
                amount = number * supply.per_new_practitioner
            delta[index] = delta.get(index, 0.0) + amount
        elif kind == "depart_age":
            age = change.get("age")
            source = active_import(computation.parameters.profession)
            if source is None:
                raise ValueError(AGES_UNKNOWN.format(position=position))
            if not isinstance(age, int):
                raise ValueError(AGE_INTEGER.format(position=position))
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
                    value = etp  # every practitioner of a profession counted in ETP has one (the import requires it)
                delta[index] = delta.get(index, 0.0) - float(value)
        else:
            raise ValueError(UNKNOWN_TYPE.format(position=position, kind=kind))
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
    population = computation.units.population  # inhabitants, as every page counts them
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
        raise ValueError(STALE_RUN)
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
