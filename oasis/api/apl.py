"""APL endpoints: national runs filtered to a territory, instant simulations, stored scenarios."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from ninja import Query, Router
from ninja.decorators import decorate_view

from oasis.accessibility.computation import compute
from oasis.accessibility.enums import Variante
from oasis.accessibility.models import Scenario
from oasis.accessibility.rows import territory_rows, territory_summary
from oasis.accessibility.runs import current_run
from oasis.accessibility.whatif import what_if
from oasis.api.limits import HEAVY, heavy_operation
from oasis.api.schemas import Apl, AplOfficielle, Erreur, ScenarioOut, Simulation, TerritoireRef
from oasis.datasets.fingerprint import etag, kept, version
from oasis.references.services import official_baseline, official_years, published_rows, territory_official_apl
from oasis.supply.enums import Equipement
from oasis.territories.services import Territory, TerritoryNotFound, parse_territory_ref
from oasis.verdicts.services import territory_counts

router = Router(tags=["APL"])


class BadRequest(ValueError):
    """A parameter the API cannot use; answered with 400 and the reason."""


def _check(profession: str, variante: str) -> None:
    from oasis.supply.enums import PROFESSIONS

    slugs = [p.value for p in PROFESSIONS]
    if profession not in slugs:
        raise BadRequest(f"Profession inconnue : « {profession} ». Professions : {', '.join(slugs)}.")
    if variante not in Variante.values:
        raise BadRequest(f"Variante inconnue : « {variante} ». Variantes : {', '.join(Variante.values)}.")


@router.get(
    "/apl",
    response={200: Apl | AplOfficielle, 400: Erreur, 404: Erreur},
    summary="APL d'une profession pour les communes d'un territoire",
    description=(
        "`territoire` : com:CODE, epci:SIREN, dep:CODE ou reg:CODE ; toute la France sans ce paramètre. "
        "`source=modele` (défaut) : l'estimation d'OASIS ; `source=officielle` : l'APL publiée par la DREES, "
        "telle que publiée (codes communes de l'année de l'APL), pour `annee` (défaut : la plus récente importée)."
    ),
)
def apl(
    request: HttpRequest,
    profession: str,
    territoire: str | None = None,
    variante: str = "ensemble",
    source: str = "modele",
    annee: int | None = None,
) -> HttpResponse:
    _check(profession, variante)
    if source not in SOURCES:
        raise BadRequest(f"Source inconnue : « {source} ». Sources : {', '.join(SOURCES)}.")
    territory = parse_territory_ref(territoire) if territoire else None
    where = f"{territory.niveau}:{territory.code}" if territory else "france"
    if source == "officielle":
        year = _official_year(profession, annee)
        key = f"api-apl-officielle:{profession}:{year}:{where}"
        return _kept_json(request, key, lambda: _official_json(profession, territory, year))
    # The same answer until the data change: kept as JSON bytes (France: 5.7 MB), gzipped when the client accepts it.
    key = f"api-apl:{profession}:{variante}:{where}"
    return _kept_json(request, key, lambda: _model_json(profession, variante, territory))


def _kept_json(request: HttpRequest, key: str, build: Callable[[], tuple[bytes, bytes]]) -> HttpResponse:
    """The answer kept for ``key`` (precomputed by ``oasis precalculer``, else computed once for every process), with
    an ETag: a client that sends it back in ``If-None-Match`` gets 304 and no body while the data stay the same."""
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    current = version()
    tag = etag(key, current)[:-1] + ('-gzip"' if gzipped else '"')  # one validator per body: gzipped or not
    if tag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        plain, compressed = kept(key, build, current=current)
        if gzipped:
            response = HttpResponse(compressed, content_type="application/json")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(plain, content_type="application/json")
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache"  # kept by the client, asked again with If-None-Match
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _json_bytes(answer: Apl | AplOfficielle) -> tuple[bytes, bytes]:
    plain = answer.model_dump_json().encode()
    return plain, gzip.compress(plain, compresslevel=6)


def _model_json(profession: str, variante: str, territory: Territory | None) -> tuple[bytes, bytes]:
    run = current_run(profession, variante)
    rows = territory_rows(run, territory)
    answer = Apl(
        calcul=run.content_hash,
        profession=run.profession,
        variante=run.variante,
        unite=str(run.resume.get("unite")),
        territoire=TerritoireRef(niveau=territory.niveau, code=territory.code, nom=territory.nom) if territory else None,
        resume_territoire=territory_summary(run, rows),  # type: ignore[arg-type]
        resume_national=run.resume,
        parametres=run.parametres,
        entrees=run.entrees,
        communes=[
            {key: value for key, value in asdict(row).items() if key not in ("longitude", "latitude")}  # type: ignore[misc]
            for row in rows
        ],
    )
    return _json_bytes(answer)


SOURCES = ("modele", "officielle")


def _official_year(profession: str, annee: int | None) -> int:
    years = official_years(profession)
    if not years:
        raise BadRequest(f"Aucune APL officielle importée pour « {profession} » (à importer par l'administrateur d'OASIS).")
    if annee is not None and annee not in years:
        raise BadRequest(f"APL officielle {annee} non importée pour « {profession} ». Années : {', '.join(map(str, years))}.")
    return annee or years[0]


def _official_json(profession: str, territory: Territory | None, year: int) -> tuple[bytes, bytes]:
    return _json_bytes(_official(profession, territory, year))


def _official(profession: str, territory: Territory | None, year: int) -> AplOfficielle:
    years = official_years(profession)
    summary = territory_official_apl(territory, profession, year)
    rows = published_rows(territory, profession, year)
    return AplOfficielle(
        source="officielle",
        profession=profession,
        annee=year,
        unite=summary.unite if summary else "",
        provenance=summary.source if summary else "",
        territoire=TerritoireRef(niveau=territory.niveau, code=territory.code, nom=territory.nom) if territory else None,
        apl_moyen=summary.apl if summary else None,
        apl_moins_65_moyen=summary.apl_moins_65 if summary else None,
        part_offre_plus_de_65_ans=summary.part_offre_plus_de_65_ans if summary else None,
        population_sous_dense=(
            territory_counts(territory, profession).population_sous_dense
            if summary and profession == Equipement.GENERALISTE and year == years[0]
            else None
        ),
        communes=[
            {"code_insee": code, "nom": nom, "apl": value, "apl_moins_65": under_65, "pop_standardisee": std, "pop_totale": total}  # type: ignore[misc]
            for code, nom, value, under_65, std, total in rows.values_list(
                "code_insee", "nom", "apl", "apl_moins_65", "pop_standardisee", "pop_totale"
            )
        ],
    )


def _parse_changes(ajout: list[str], retrait: list[str], depart_age: int | None) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    for kind, values in (("ajout", ajout), ("retrait", retrait)):
        for value in values:
            code, _, number = value.partition(":")
            if not number.isdigit():
                raise BadRequest(f"{kind}={value} : écrire CODE_INSEE:NOMBRE, par exemple 86194:2.")
            changes.append({"type": kind, "commune": code, "nombre": int(number)})
    if depart_age is not None:
        changes.append({"type": "depart_age", "age": depart_age})
    if not changes:
        raise BadRequest("Aucun changement : ajout=CODE:N, retrait=CODE:N ou depart_age=AGE.")
    return changes


@router.get(
    "/apl/simulation",
    response={200: Simulation, 400: Erreur, 429: Erreur},
    summary="Simuler l'installation ou le départ de professionnels (sans rien enregistrer)",
    description=(
        "Par exemple `?profession=generaliste&ajout=86194:2&retrait=86001:1`. Renvoie les communes dont l'APL change. " + HEAVY
    ),
)
@decorate_view(heavy_operation)
def simulation(
    request: HttpRequest,
    profession: str,
    variante: str = "ensemble",
    ajout: list[str] = Query([]),  # type: ignore[type-arg]  # noqa: B008 - how django-ninja reads repeated parameters
    retrait: list[str] = Query([]),  # type: ignore[type-arg]  # noqa: B008
    depart_age: int | None = None,
) -> Simulation:
    _check(profession, variante)
    changes = _parse_changes(ajout, retrait, depart_age)
    computation = compute(profession, variante)
    try:
        result = what_if(computation, changes)
    except ValueError as error:
        raise BadRequest(str(error)) from error
    changed = np.flatnonzero(~np.isnan(result.before) & (np.abs(result.after - result.before) > 1e-12))
    codes = [computation.units.codes[i] for i in changed]
    year, official = official_baseline(
        profession, {code: (float(result.before[i]), float(result.after[i])) for code, i in zip(codes, changed, strict=True)}
    )
    return Simulation(
        calcul=computation.content_hash,
        profession=profession,
        variante=variante,
        changements=changes,
        resume=result.summary,
        base_officielle=(
            f"APL officielle {year} (DREES) + variation calculée par le modèle d'OASIS" if year is not None else None
        ),
        communes=[
            {
                "code_insee": code,
                "apl_avant": float(result.before[i]),
                "apl_apres": float(result.after[i]),
                **(
                    {"apl_officielle_avant": official[code][0], "apl_officielle_apres": official[code][1]}
                    if code in official
                    else {}
                ),
            }
            for code, i in zip(codes, changed, strict=True)
        ],
    )


def _scenario_out(scenario: Scenario) -> ScenarioOut:
    return ScenarioOut(
        id=scenario.pk,
        nom=scenario.nom,
        calcul=scenario.run.content_hash,
        profession=scenario.run.profession,
        variante=scenario.run.variante,
        changements=scenario.changements,
        resume=scenario.resume,
        cree_le=scenario.created_at.isoformat(),
    )


@router.get("/apl/scenarios", response=list[ScenarioOut], summary="Scénarios enregistrés, pour les comparer")
def scenarios(request: HttpRequest) -> list[ScenarioOut]:
    return [_scenario_out(s) for s in Scenario.objects.select_related("run")[:200]]


@router.get("/apl/scenarios/{scenario_id}", response={200: ScenarioOut, 404: Erreur}, summary="Un scénario enregistré")
def scenario(request: HttpRequest, scenario_id: int) -> ScenarioOut:
    return _scenario_out(get_object_or_404(Scenario.objects.select_related("run"), pk=scenario_id))


__all__ = ["BadRequest", "TerritoryNotFound", "router"]
