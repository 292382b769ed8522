"""The JSON API: thin handlers over the territory and supply services."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from oasis import __version__
from oasis.api.apl import BadRequest
from oasis.api.apl import router as apl_router
from oasis.api.maps import router as maps_router
from oasis.api.planning import router as planning_router
from oasis.api.projects import router as projects_router
from oasis.api.recruitment import router as recruitment_router
from oasis.api.schemas import Effectif, Erreur, Resultat, Source, Territoire, TerritoireRef
from oasis.api.zonage import router as zonage_router
from oasis.datasets.models import Dataset
from oasis.supply.enums import PROFESSIONS
from oasis.supply.services import supply_figures
from oasis.territories.models import Commune
from oasis.territories.services import TerritoryNotFound, demography, get_territory, parents, search

api = NinjaAPI(
    title="API OASIS",
    version=__version__,
    description=(
        "Territoires (COG 2025), population et offre de soins de premier recours. Chaque réponse cite ses sources et millésimes."
    ),
    openapi_url="/schema",
    docs_url=None,  # /api/docs is a DSFR page built from this schema (oasis.www.api_docs_views)
    urls_namespace="api",
)

api.add_router("", apl_router)
api.add_router("", maps_router)
api.add_router("", planning_router)
api.add_router("", projects_router)
api.add_router("", recruitment_router)
api.add_router("", zonage_router)

TERRITORY_SOURCES = ("cog", "points", "pop_standardisee", "bpe", "passage")


@api.exception_handler(BadRequest)
def bad_request(request: HttpRequest, error: BadRequest):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(error)}, status=400)


VALIDATION_MESSAGES = {
    "missing": "valeur obligatoire absente",
    "int_parsing": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "bool_parsing": "vrai ou faux attendu",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "string_too_long": "texte trop long",
    "string_too_short": "texte trop court",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "enum": "valeur non reconnue",
    "literal_error": "valeur non reconnue",
    "json_invalid": "JSON invalide",
}


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError):  # type: ignore[no-untyped-def]
    """422 in French: each wrong parameter named, with what was expected (pydantic's words are English)."""
    details = []
    for item in error.errors:
        where = [str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body", "form")]
        reason = VALIDATION_MESSAGES.get(item.get("type", ""), "valeur invalide")
        expected = (item.get("ctx") or {}).get("expected")
        if expected:
            reason += f" (attendu : {expected})"
        name = " → ".join(where) or "requête"
        details.append({"loc": item.get("loc", []), "type": item.get("type"), "msg": f"Paramètre « {name} » : {reason}."})
    return api.create_response(request, {"detail": details}, status=422)


NOT_FOUND = "Introuvable : cet objet n'existe pas, ou votre compte ne permet pas de le voir."


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):  # type: ignore[no-untyped-def]
    """Never Django's words (« No Project matches the given query. », « Not Found »)."""
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(TerritoryNotFound)
def territory_not_found(request: HttpRequest, error: TerritoryNotFound):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(error)}, status=404)


@api.get(
    "/territoires/{niveau}/{code}",
    response={200: Territoire, 404: Erreur},
    summary="Un territoire : population et professionnels de santé par profession",
    description="`niveau` : region, departement, epci ou commune ; `code` : code INSEE (SIREN pour un EPCI).",
)
def territoire(request: HttpRequest, niveau: str, code: str) -> Territoire:
    territory = get_territory(niveau, code)
    figures = demography(territory)
    supply = supply_figures(territory, figures.population)

    def effectif(index: int) -> Effectif:
        figure = supply[index]
        return Effectif(
            nombre=figure.nombre,
            millesime=figure.millesime,
            pour_10000_habitants=None if figure.pour_10000_habitants is None else round(figure.pour_10000_habitants, 3),
            nombre_precedent=figure.nombre_precedent,
            millesime_precedent=figure.millesime_precedent,
        )

    point = territory.obj if isinstance(territory.obj, Commune) else None
    return Territoire(
        niveau=territory.niveau,
        code=territory.code,
        nom=territory.nom,
        parents=[TerritoireRef(niveau=p.niveau, code=p.code, nom=p.nom) for p in parents(territory)],
        population=figures.population,
        population_standardisee=None if figures.pop_standardisee is None else round(figures.pop_standardisee, 3),
        superficie_km2=figures.area_km2,
        nombre_communes=figures.nombre_communes,
        longitude=point.longitude if point else None,
        latitude=point.latitude if point else None,
        professionnels={
            figure.equipement.value: effectif(i) for i, figure in enumerate(supply) if figure.equipement in PROFESSIONS
        },
        structures={
            figure.equipement.value: effectif(i) for i, figure in enumerate(supply) if figure.equipement not in PROFESSIONS
        },
        sources=[
            Source(
                cle=d.key,
                titre=d.titre,
                producteur=d.producteur,
                millesime=d.millesime,
                licence=d.licence,
                url=d.url,
            )
            for d in Dataset.objects.filter(key__in=TERRITORY_SOURCES)
        ],
    )


@api.get("/recherche", response=list[Resultat], summary="Chercher un territoire par nom, code INSEE ou code postal")
def recherche(request: HttpRequest, q: str, limit: int = 10, niveau: str = "") -> list[Resultat]:
    """`niveau` : les niveaux à garder, séparés par des virgules (`commune,epci`) ; tous sans ce paramètre."""
    niveaux = [n for n in niveau.split(",") if n] or None
    return [
        Resultat(
            niveau=result.niveau,
            code=result.code,
            nom=result.nom,
            contexte=result.contexte,
            population=result.population,
            url=reverse("territory", args=[result.niveau, result.code]),
        )
        for result in search(q, limit=max(1, min(limit, 50)), niveaux=niveaux)
    ]
