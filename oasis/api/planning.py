"""Planning endpoint: propose sites on a territory and measure their impact."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from oasis.api.apl import BadRequest
from oasis.api.schemas import Erreur
from oasis.core.siting import SolverError
from oasis.planning.exports import to_dict
from oasis.planning.services import PlanningOptions, plan
from oasis.supply.enums import PROFESSIONS
from oasis.territories.services import parse_territory_ref

router = Router(tags=["Implantation"])


@router.get(
    "/implantation",
    response={200: dict[str, Any], 400: Erreur, 404: Erreur},
    summary="Où implanter de nouvelles maisons de santé ; population couverte et effet sur l'APL",
    description="Ex. `?territoire=dep:86&sites=3&profession=generaliste&demande=sous-denses`.",
)
def implantation(
    request: HttpRequest,
    territoire: str,
    sites: int = 3,
    profession: str = "generaliste",
    demande: str = "population",
    methode: str = "exacte",
    minutes: float = 20.0,
    professionnels: int = 3,
    population_min: int = 0,
    modele: str = "couverture",
) -> dict[str, Any]:
    if profession not in [p.value for p in PROFESSIONS]:
        raise BadRequest(f"Profession inconnue : « {profession} ».")
    territory = parse_territory_ref(territoire)
    options = PlanningOptions(
        territory, sites, profession, demande, methode, minutes, professionnels, population_min, modele=modele
    )
    try:
        return to_dict(plan(options))
    except (ValueError, SolverError) as error:
        raise BadRequest(str(error)) from error
