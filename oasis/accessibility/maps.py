"""GeoJSON for the APL map: départements coloured by their APL, then one département's communes at a time.

Geometries are stored as GeoJSON text and concatenated as they are (no parsing per request).
"""

from __future__ import annotations

import json
from typing import Any

from oasis.accessibility.models import AplAggregate, AplResult, AplRun
from oasis.accessibility.rows import is_under_served
from oasis.supply.enums import Equipement
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes
from oasis.territories.models import Commune, CommuneGeometry, DepartementGeometry


def _collection(features: list[str], metadata: dict[str, Any]) -> str:
    return (
        '{"type":"FeatureCollection","oasis":'
        + json.dumps(metadata, ensure_ascii=False)
        + ',"features":['
        + ",".join(features)
        + "]}"
    )


def _feature(geometry: str, properties: dict[str, Any]) -> str:
    return '{"type":"Feature","geometry":' + geometry + ',"properties":' + json.dumps(properties, ensure_ascii=False) + "}"


def metadata(run: AplRun) -> dict[str, Any]:
    return {
        "calcul": run.content_hash,
        "profession": run.profession,
        "variante": run.variante,
        "unite": run.resume.get("unite"),
        "seuil_sous_dense": run.resume.get("seuil_sous_dense"),
        "bornes_classes": run.resume.get("bornes_classes"),
        "apl_moyen_national": run.resume.get("apl_moyen_national"),
        "offre": run.entrees.get("offre"),
        "temps_de_trajet": (run.entrees.get("temps_de_trajet") or {}).get("libelle"),
    }


def departements_geojson(
    run: AplRun, extra: dict[str, dict[str, Any]] | None = None, layers: dict[str, Any] | None = None
) -> str:
    """Départements with the run's mean APL; ``extra`` adds properties per département (e.g. the official APL)."""
    aggregates = {a.code: a for a in AplAggregate.objects.filter(run=run, niveau="departement")}
    features = []
    for shape in DepartementGeometry.objects.select_related("departement").order_by("departement_id"):
        aggregate = aggregates.get(shape.departement_id)
        features.append(
            _feature(
                shape.geojson,
                {
                    "code": shape.departement_id,
                    "nom": shape.departement.nom,
                    "apl": None if aggregate is None else aggregate.apl_moyen,
                    "part_sous_dotee": (
                        aggregate.population_sous_dotee / aggregate.population if aggregate and aggregate.population else None
                    ),
                    **(extra or {}).get(shape.departement_id, {}),
                },
            )
        )
    return _collection(features, {**metadata(run), **(layers or {})})


def communes_geojson(
    run: AplRun, departement: str, extra: dict[str, dict[str, Any]] | None = None, layers: dict[str, Any] | None = None
) -> str:
    """A département's communes with the run's APL (and the estimate's own verdict, ``sous_dense_estimation``);
    ``extra`` adds properties per commune (the verdict that decides, from ``oasis.verdicts``), ``layers`` to the metadata."""
    values = dict(AplResult.objects.filter(run=run, commune__departement_id=departement).values_list("commune_id", "apl"))
    classes = dict(AplResult.objects.filter(run=run, commune__departement_id=departement).values_list("commune_id", "classe"))
    millesime = bpe_millesimes()[0]
    structures: dict[str, dict[str, int]] = {}
    for code, equipement, nombre in SupplyCount.objects.filter(
        commune__departement_id=departement,
        millesime=millesime,
        equipement__in=[Equipement.MAISON_DE_SANTE, Equipement.CENTRE_DE_SANTE],
    ).values_list("commune_id", "equipement", "nombre"):
        structures.setdefault(code, {})[equipement] = nombre
    units = list(
        Commune.objects.units()
        .filter(departement_id=departement)
        .order_by("code_insee")
        .values_list("code_insee", "nom", "population", "longitude", "latitude")
    )
    # Codes first, then a plain IN: one simple plan whatever the table statistics.
    shapes = dict(CommuneGeometry.objects.filter(commune_id__in=[unit[0] for unit in units]).values_list("commune_id", "geojson"))
    features = []
    for code, nom, population, longitude, latitude in units:
        if code not in shapes:
            continue
        apl = values.get(code)
        features.append(
            _feature(
                shapes[code],
                {
                    "code": code,
                    "nom": nom,
                    "population": population,
                    "apl": apl,
                    "classe": classes.get(code),
                    "sous_dense_estimation": is_under_served(run, apl, classes.get(code)),
                    "maisons_de_sante": structures.get(code, {}).get(Equipement.MAISON_DE_SANTE, 0),
                    "centres_de_sante": structures.get(code, {}).get(Equipement.CENTRE_DE_SANTE, 0),
                    "point": [longitude, latitude],
                    **(extra or {}).get(code, {}),
                },
            )
        )
    return _collection(features, {**metadata(run), "departement": departement, **(layers or {})})
