"""Map endpoints: GeoJSON for the APL map, and the extent of a territory for zooming."""

from __future__ import annotations

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view

from oasis.accessibility.maps import communes_geojson, departements_geojson
from oasis.accessibility.runs import current_run
from oasis.api.apl import BadRequest, _check
from oasis.api.limits import HEAVY, heavy_operation
from oasis.api.schemas import Erreur
from oasis.references.services import official_by_commune, official_by_departement, official_map_layer, structure_points
from oasis.territories.models import Departement
from oasis.territories.services import get_territory
from oasis.verdicts.services import departement_shares, map_properties

router = Router(tags=["Carte"])


def _geojson(content: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "max-age=300"
    return response


@router.get(
    "/carte/departements",
    summary="Départements et leur APL moyen (GeoJSON)",
    description=HEAVY,
    response={200: dict, 400: Erreur, 429: Erreur},
    openapi_extra={"responses": {200: {"content": {"application/geo+json": {}}}}},
)
@decorate_view(heavy_operation)
def map_departements(request: HttpRequest, profession: str = "generaliste", variante: str = "ensemble") -> HttpResponse:
    _check(profession, variante)
    shares, values = departement_shares(profession), official_by_departement(profession)
    official = {code: {"apl_officielle": values.get(code), "part_sous_dense": shares.get(code)} for code in shares}
    return _geojson(
        departements_geojson(current_run(profession, variante), official, {"officielle": official_map_layer(profession)})
    )


@router.get(
    "/carte/communes/{departement}",
    summary="Communes d'un département, leur APL, sous-densité et structures (GeoJSON)",
    description=HEAVY,
    response={200: dict, 400: Erreur, 404: Erreur, 429: Erreur},
)
@decorate_view(heavy_operation)
def map_communes(
    request: HttpRequest, departement: str, profession: str = "generaliste", variante: str = "ensemble"
) -> HttpResponse:
    _check(profession, variante)
    code = departement.upper()
    if not Departement.objects.filter(pk=code).exists():
        raise BadRequest(f"Département inconnu : « {departement} ».")
    layers = {"officielle": official_map_layer(profession), "structures_finess": structure_points(code)}
    extra = official_by_commune(profession, code)
    for commune, properties in map_properties(code, profession).items():
        extra.setdefault(commune, {}).update(properties)
    return _geojson(communes_geojson(current_run(profession, variante), code, extra, layers))


class Emprise(Schema):
    niveau: str
    code: str
    nom: str
    ouest: float
    sud: float
    est: float
    nord: float
    departements: list[str]
    communes: list[str] = Field(default_factory=list, description="les communes d'un ensemble (niveau « set »)")


@router.get("/territoires/{niveau}/{code}/emprise", response={200: Emprise, 404: Erreur}, summary="Emprise d'un territoire")
def extent(request: HttpRequest, niveau: str, code: str) -> Emprise:
    territory = get_territory(niveau, code)
    units = territory.units()
    box = units.aggregate(west=Min("longitude"), east=Max("longitude"), south=Min("latitude"), north=Max("latitude"))
    pad = 0.03
    return Emprise(
        niveau=territory.niveau,
        code=territory.code,
        nom=territory.nom,
        ouest=box["west"] - pad,
        sud=box["south"] - pad,
        est=box["east"] + pad,
        nord=box["north"] + pad,
        departements=sorted(set(units.values_list("departement_id", flat=True))),
        communes=list(territory.codes),
    )
