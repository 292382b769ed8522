"""The under-density verdict of each commune of a territory (``oasis.verdicts``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from oasis.api.apl import BadRequest
from oasis.api.schemas import Erreur, TerritoireRef
from oasis.supply.enums import PROFESSIONS
from oasis.territories.models import Commune
from oasis.territories.services import parse_territory_ref
from oasis.verdicts.services import territory_verdicts

router = Router(tags=["Zonage"])


class VerdictCommune(Schema):
    code_insee: str
    nom: str
    sous_dense: bool | None
    zone: str | None
    source: str
    millesime: str
    valeur: float | None
    seuil: float | None
    libelle: str


class Zonage(Schema):
    profession: str
    territoire: TerritoireRef
    regle: str
    communes: list[VerdictCommune]


RULE = (
    "Dans cet ordre : l'arrêté de zonage de l'ARS en vigueur (source arrete-ars) ; sinon, pour les médecins "
    "généralistes, l'APL officielle la plus récente de la DREES des médecins de 65 ans et moins avec la règle "
    "nationale (source apl-drees : sous le premier seuil, sélection nationale, sous-dense ; jusqu'au second, vivier, "
    "où l'ARS décide : sous_dense vaut null ; au-delà, hors vivier) ; sinon l'estimation d'OASIS (source estimation)."
)


@router.get(
    "/zonage",
    response={200: Zonage, 400: Erreur, 404: Erreur},
    summary="Sous-densité de chaque commune d'un territoire, et sur quoi elle repose",
    description=(
        "`territoire` : com:CODE, epci:SIREN, dep:CODE, reg:CODE ou set:CODE,CODE,… ; `profession` : "
        "generaliste (défaut), infirmier, masseur-kinesitherapeute, sage-femme, chirurgien-dentiste, orthophoniste. "
        "Pour chaque commune : `sous_dense` (true, false, ou null quand l'ARS décide ou que rien n'est connu), `zone` "
        "(zone de l'arrêté, ou classe de la règle nationale : selection-nationale, vivier, hors-vivier), `source` "
        "(arrete-ars, apl-drees, estimation), `millesime` (date de l'arrêté, année de l'APL, date du calcul), `valeur` "
        "(l'APL sur laquelle repose le verdict, telle que publiée), `seuil` et `libelle`. " + RULE
    ),
)
def zonage(request: HttpRequest, territoire: str, profession: str = "generaliste") -> Zonage:
    slugs = [p.value for p in PROFESSIONS]
    if profession not in slugs:
        raise BadRequest(f"Profession inconnue : « {profession} ». Professions : {', '.join(slugs)}.")
    territory = parse_territory_ref(territoire)
    found = territory_verdicts(territory, profession)
    names = dict(Commune.objects.filter(code_insee__in=list(found)).values_list("code_insee", "nom"))
    return Zonage(
        profession=profession,
        territoire=TerritoireRef(niveau=territory.niveau, code=territory.code, nom=territory.nom),
        regle=RULE,
        communes=[VerdictCommune(**item.as_dict(names.get(code, ""))) for code, item in found.items()],
    )
