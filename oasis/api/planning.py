"""Planning endpoint: propose sites on a territory and measure their impact."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from oasis.accounts.addresses import client_address
from oasis.api.apl import BadRequest
from oasis.api.schemas import Erreur
from oasis.jobs.models import Job
from oasis.jobs.services import JobRefused
from oasis.planning.exports import to_dict
from oasis.planning.jobs import results, submit_plan
from oasis.planning.services import PlanningOptions
from oasis.supply.enums import PROFESSIONS
from oasis.territories.services import parse_territory_ref

router = Router(tags=["Implantation"])


@router.get(
    "/implantation",
    response={200: dict[str, Any], 202: dict[str, Any], 400: Erreur, 404: Erreur, 429: Erreur},
    summary="Où implanter de nouvelles maisons de santé ; population couverte et effet sur l'APL",
    description=(
        "Ex. `?territoire=dep:86&sites=3&profession=generaliste&demande=sous-denses`. Le calcul se fait en "
        "arrière-plan : tant qu'il n'est pas fini, la réponse est 202 avec l'adresse de son état "
        "(`etat`) ; redemandez la même adresse ensuite pour obtenir le résultat (200), conservé tant que les données "
        "ne changent pas. Sans connexion : 10 sites, 30 minutes, distance moyenne minimale (`modele=p-median`) sur un "
        "département ou un EPCI au plus."
    ),
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
) -> Status[dict[str, Any]]:
    if profession not in [p.value for p in PROFESSIONS]:
        raise BadRequest(f"Profession inconnue : « {profession} ».")
    territory = parse_territory_ref(territoire)
    options = PlanningOptions(
        territory, sites, profession, demande, methode, minutes, professionnels, population_min, modele=modele
    )
    try:
        options.check()
        job = submit_plan(options, request.user, client_address(request))
    except ValueError as error:
        raise BadRequest(str(error)) from error
    except JobRefused as refused:
        return Status(429, {"detail": str(refused)})
    if job.statut == Job.Statut.ECHEC:
        raise BadRequest(job.error)
    if job.statut != Job.Statut.TERMINE:
        status = reverse("job_status", args=[job.pk])
        return Status(
            202, {"statut": job.get_statut_display(), "pourcentage": job.percent, "etat": request.build_absolute_uri(status)}
        )
    return Status(200, to_dict(results(job, options)[demande]))
