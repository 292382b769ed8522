"""The planning page: propose sites for new maisons de santé on a territory, explained on a map."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from oasis.accounts.addresses import client_address
from oasis.datasets.fingerprint import version
from oasis.jobs.models import Job
from oasis.jobs.services import JobRefused, find
from oasis.planning.exports import to_csv, to_dict
from oasis.planning.jobs import KIND, results, submit_plan, to_params
from oasis.planning.services import DEMANDS, METHODS, MODELS, PlanningOptions, PlanningResult
from oasis.references.services import official_baseline
from oasis.supply.enums import PROFESSIONS
from oasis.territories.fields import resolve_territory
from oasis.territories.services import TerritoryNotFound
from oasis.www.downloads import csv_dialect, csv_file
from oasis.www.errors import refused


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


METHOD_LABELS = {"exacte": "Optimale (solveur)", "glouton": "Rapide (site par site)"}
PLANNING_LEVELS = ("region", "departement", "epci")


def _options(request: HttpRequest) -> tuple[PlanningOptions | None, str | None]:
    ref = request.GET.get("territoire", "").strip()
    if not ref:
        return None, None
    try:
        territory = resolve_territory(ref, PLANNING_LEVELS)
    except TerritoryNotFound as error:
        return None, str(error)
    profession = request.GET.get("profession", "generaliste")
    if profession not in [p.value for p in PROFESSIONS]:
        profession = "generaliste"
    try:
        minutes = float(request.GET.get("minutes") or 20)
    except ValueError:
        minutes = 20.0
    options = PlanningOptions(
        territory=territory,
        sites=_int(request.GET.get("sites"), 3),
        profession=profession,
        demande=request.GET.get("demande", "population"),
        methode=request.GET.get("methode", "exacte"),
        minutes=minutes,
        professionnels_par_site=_int(request.GET.get("professionnels"), 3),
        population_min=_int(request.GET.get("population_min"), 0),
        modele=request.GET.get("modele", "couverture"),
    )
    try:
        options.check()
    except ValueError as error:
        return None, str(error)
    return options, None


def planning(request: HttpRequest) -> HttpResponse:
    options, error = _options(request)
    job: Job | None = None
    result: PlanningResult | None = None
    scenarios: dict[str, PlanningResult] = {}
    if options is not None:
        try:
            job = submit_plan(options, request.user, client_address(request))
        except (JobRefused, ValueError) as refused:
            error = str(refused)
        if job is not None and job.statut == Job.Statut.TERMINE:
            scenarios = results(job, options)
            result = scenarios[options.demande]
        elif job is not None and job.statut == Job.Statut.ECHEC:
            error = job.error
    official_year, official = (
        official_baseline(
            result.options.profession,
            {
                site.code_insee: (site.apl_avant, site.apl_apres)
                for site in result.sites
                if site.apl_avant is not None and site.apl_apres is not None
            },
        )
        if result
        else (None, {})
    )
    return render(
        request,
        "www/planning.html",
        {
            "options": options,
            "error": error,
            "job": job if job is not None and not job.finished else None,
            "result": result,
            "computed_at": job.finished_at if result is not None and job is not None else None,
            "official_year": official_year,
            "official": official,
            "comparison": [(DEMANDS[kind], scenario) for kind, scenario in scenarios.items()],
            "result_json": json.dumps(to_dict(result), ensure_ascii=False) if result else "null",
            "professions": [(p.value, p.label) for p in PROFESSIONS],
            "demands": DEMANDS.items(),
            "methods": [(m, METHOD_LABELS[m]) for m in METHODS],
            "models": MODELS.items(),
            "querystring": request.GET.urlencode(),
            "territoire": request.GET.get("territoire", ""),
        },
        status=400 if error else 200,
    )


def planning_csv(request: HttpRequest) -> HttpResponse:
    options, error = _options(request)
    if options is None:
        return refused(request, 400, error or "Paramètre « territoire » requis.")
    job = find(KIND, to_params(options), version())
    if job is None or job.statut != Job.Statut.TERMINE:
        # Not computed yet (or failed): the planning page computes it and says how far it is.
        return redirect(f"{reverse('planning')}?{request.GET.urlencode()}")
    result = results(job, options)[options.demande]
    territory = options.territory.code if options.territory else "france"
    return csv_file(to_csv(result, csv_dialect(request)), f"implantation-{territory}.csv")
