"""OASIS's estimated APL against the official DREES APL: the comparison users judge the model by."""

from __future__ import annotations

import numpy as np

from oasis.accessibility.runs import current_run
from oasis.core.agreement import Agreement, agreement, agreement_by_group
from oasis.references.models import OfficialAplUnit
from oasis.references.services import GP_SOUS_DENSE_THRESHOLD, official_years

COLUMNS = {"apl": "tous âges", "apl_moins_65": "65 ans et moins"}
"""Official columns the model is compared with: it is calibrated on the national mean of the 65-and-under APL."""
UNKNOWN_COLUMN = "colonne inconnue : {column}"
NO_OFFICIAL_APL = "Aucune APL officielle importée pour {profession}."


def model_against_official(
    profession: str = "generaliste", annee: int | None = None, column: str = "apl_moins_65"
) -> tuple[int, Agreement, dict[str, Agreement]]:
    """(year, national agreement, agreement per département) of today's model run with an official APL column."""
    if column not in COLUMNS:
        raise ValueError(UNKNOWN_COLUMN.format(column=column))
    years = official_years(profession)
    if not years:
        raise LookupError(NO_OFFICIAL_APL.format(profession=profession))
    year = annee or years[0]
    run = current_run(profession)
    estimate = dict(run.results.values_list("commune_id", "apl"))
    rows = list(
        OfficialAplUnit.objects.filter(profession=profession, annee=year).values_list(
            "commune_id", "commune__departement_id", column, "pop_totale"
        )
    )
    a = np.array([np.nan if estimate.get(code) is None else estimate[code] for code, *_ in rows])
    b = np.array([np.nan if apl is None else apl for _c, _d, apl, _p in rows])
    population = np.array([pop or 0.0 for *_rest, pop in rows])
    departements = np.array([dep for _c, dep, _a, _p in rows])
    threshold = GP_SOUS_DENSE_THRESHOLD
    return year, agreement(a, b, population, threshold), agreement_by_group(a, b, population, threshold, departements)
