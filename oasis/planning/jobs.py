"""Siting as a job: the three demand scenarios of a territory computed in the worker, kept for whoever asks again."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from django_tasks import task

from oasis.core.siting import SolverError
from oasis.datasets.fingerprint import version
from oasis.jobs.models import Job
from oasis.jobs.runner import Outcome, Progress, run
from oasis.jobs.services import submit
from oasis.planning.exports import from_dict, to_dict
from oasis.planning.services import DEMANDS, PlanningOptions, PlanningResult, plan
from oasis.territories.services import get_territory

KIND = "implantation"


def to_params(options: PlanningOptions) -> dict[str, Any]:
    """The options as JSON parameters of a job (the territory by level and code)."""
    params = {field.name: getattr(options, field.name) for field in fields(options) if field.name != "territory"}
    territory = options.territory
    return params | {"territoire": None if territory is None else [territory.niveau, territory.code]}


def from_params(params: dict[str, Any]) -> PlanningOptions:
    values = dict(params)
    territory = values.pop("territoire")
    return PlanningOptions(territory=None if territory is None else get_territory(*territory), **values)


def scenario_order(options: PlanningOptions) -> list[str]:
    """The asked demand first, then the others (the page compares all three)."""
    return [options.demande, *(kind for kind in DEMANDS if kind != options.demande)]


def compute(job: Job, progress: Progress) -> Outcome:
    options = from_params(job.params)
    scenarios: dict[str, Any] = {}
    order = scenario_order(options)
    for done, kind in enumerate(order):
        progress(done / len(order), f"Scénario {done + 1} sur {len(order)} : {DEMANDS[kind]}")
        scenarios[kind] = to_dict(plan(replace(options, demande=kind)))
    return Outcome(result={"scenarios": scenarios})


def results(job: Job, options: PlanningOptions) -> dict[str, PlanningResult]:
    """The finished job's result for each demand scenario."""
    scenarios = (job.result or {})["scenarios"]
    return {kind: from_dict(scenarios[kind], replace(options, demande=kind)) for kind in DEMANDS}


@task()
def planning_task(job_id: str) -> None:
    run(job_id, compute, expected=(SolverError, ValueError))


ANONYMOUS_MAX_SITES = 10
ANONYMOUS_MAX_MINUTES = 30
ANONYMOUS_P_MEDIAN_LEVELS = ("departement", "epci")


def check_anonymous(options: PlanningOptions) -> None:
    """What a visitor who is not signed in may ask: raises ``ValueError`` saying what to change."""
    reasons = []
    if options.sites > ANONYMOUS_MAX_SITES:
        reasons.append(f"au plus {ANONYMOUS_MAX_SITES} sites")
    if options.minutes > ANONYMOUS_MAX_MINUTES:
        reasons.append(f"au plus {ANONYMOUS_MAX_MINUTES} minutes de trajet")
    if options.modele == "p-median" and (options.territory is None or options.territory.niveau not in ANONYMOUS_P_MEDIAN_LEVELS):
        reasons.append("la distance moyenne minimale sur un département ou un EPCI seulement")
    if reasons:
        raise ValueError(
            f"Sans connexion, un calcul d'implantation est limité à {', '.join(reasons)} : connectez-vous pour aller au-delà."
        )


def submit_plan(options: PlanningOptions, user: Any, address: str | None) -> Job:
    """The job computing these options' scenarios, for a page or the API.

    Raises ``ValueError`` for what a visitor who is not signed in may not ask, ``JobRefused`` beyond the limits.
    """
    if not user.is_authenticated:
        check_anonymous(options)
    territory = options.territory
    return submit(
        planning_task,
        kind=KIND,
        libelle=f"Implantation de {options.sites} site(s) — {territory.nom if territory else 'France'}",
        params=to_params(options),
        version=version(),
        user=user,
        address=address,
    )
