"""The aids of Aides-territoires open to the structures OASIS accompanies become tools of the funding catalogue:
one tool per aid, kept up to date by each synchronisation, offered to the projects inside the aid's perimeter."""

from __future__ import annotations

from typing import Any

from oasis.connectors.enums import AideStatus
from oasis.connectors.models import Aide
from oasis.formatting import date_longue
from oasis.projects.enums import Carrier, FundingNature
from oasis.projects.models import FundingTool
from oasis.territories.text import search_key

CARRIERS = {
    "communes": Carrier.COMMUNE,
    "intercommunalites": Carrier.EPCI,
    "associations": Carrier.ASSOCIATION,
}
"""Audiences of Aides-territoires (first word, as a search key) → the carriers of OASIS they admit."""

ORDER = 100
"""Imported tools come after the catalogue's own."""


def _carriers(aide: Aide) -> list[str]:
    found = {CARRIERS[key.split()[0]] for key in map(search_key, aide.publics) if key and key.split()[0] in CARRIERS}
    return sorted(found)


def _conditions(aide: Aide) -> str:
    parts = [f"Périmètre : {aide.perimetre or 'non précisé'}.", f"Bénéficiaires : {', '.join(aide.publics)}."]
    if aide.date_limite:
        parts.append(f"Date limite de dépôt : {date_longue(aide.date_limite)}.")
    if aide.taux_min is not None or aide.taux_max is not None:
        parts.append(f"Taux de subvention : {aide.taux_min or 0:g} à {aide.taux_max or 100:g} %.")
    return " ".join(parts)


def tool_values(aide: Aide) -> dict[str, Any]:
    engineering = any("ingenierie" in search_key(kind) for kind in aide.types)
    return {
        "code": f"at-{aide.identifiant}",
        "nom": aide.nom[:200],
        "financeur": ", ".join(aide.financeurs)[:200] or "—",
        "nature": FundingNature.ETUDE if engineering else FundingNature.INVESTISSEMENT,
        "public": True,
        "taux_max": aide.taux_max,
        "porteurs": _carriers(aide),
        "conditions": _conditions(aide),
        "source": f"Aides-territoires : {aide.url}"[:300],
        "ordre": ORDER,
        "ouvert_jusqu_au": aide.date_limite,
    }


def feed_funding_tools(**_: Any) -> None:
    """Create or update the tool of every aid open to projects (a withdrawn aid keeps its tool: lines use it)."""
    for aide in Aide.objects.for_projects().exclude(statut=AideStatus.RETIREE, outil__isnull=True):
        FundingTool.objects.update_or_create(aide=aide, defaults=tool_values(aide))
