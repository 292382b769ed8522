"""The funding catalogue as its owners keep it: an administrator the national tools, each Département's officers
their own (the Vienne's aid to communes and EPCI for a feasibility study, say), with the territory where each
applies, the carriers, the rate and ceiling, and when it is open (``oasis.validity``). Every change is audited.

Tools imported from Aides-territoires follow their source (``oasis.projects.aides``) and are edited by nobody here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import record
from oasis.projects import perms
from oasis.projects.enums import Carrier
from oasis.projects.models import FundingTool
from oasis.territories.models import Commune, Departement
from oasis.territories.services import parse_territory_ref
from oasis.validity import check_dates

# Refusals, asserted by reference in the tests.
TOOL_NOT_YOURS = "Vous ne pouvez modifier que les outils financiers de votre département."
TOOL_IMPORTED = "Cet outil vient d'Aides-territoires : il suit sa fiche, qui se corrige sur Aides-territoires."
NEGATIVE_CEILING = "Le montant maximal ne peut pas être négatif."
RATE_OUT_OF_RANGE = "Le taux maximal est compris entre 0 et 100 %."
UNKNOWN_CARRIER = "Porteur inconnu : « {code} »."
TERRITORY_OUTSIDE = "« {nom} » n'est pas dans le département {departement} : un outil s'applique sur son territoire."
UNKNOWN_DEPARTEMENT = "Département inconnu : « {code} »."

DEPARTEMENT_ORDER = 50
"""A Département's tools come after the national catalogue's and before those imported from Aides-territoires."""


def editable_tools(user: Any) -> QuerySet[FundingTool]:
    """The tools a user may change: all but the imported ones for an administrator, their département's for an
    officer, none for anyone else."""
    tools = FundingTool.objects.filter(aide__isnull=True).select_related("departement")
    if role_of(user) == Role.ADMINISTRATEUR:
        return tools
    departement = perms.catalogue_departement(user)
    return tools.filter(departement_id=departement) if departement else tools.none()


def catalogue(user: Any) -> QuerySet[FundingTool]:
    """The catalogue a user reads: the national tools and their département's own (every Département's for an
    administrator); imported aids are listed on each project, within their perimeter."""
    tools = FundingTool.objects.filter(aide__isnull=True).select_related("departement")
    if role_of(user) == Role.ADMINISTRATEUR:
        return tools.order_by("departement_id", "ordre", "nom")
    departement = perms.catalogue_departement(user)
    return tools.filter(Q(departement__isnull=True) | Q(departement_id=departement)).order_by("departement_id", "ordre", "nom")


def _unique_code(departement: str | None, nom: str) -> str:
    base = slugify(f"{departement or 'national'}-{nom}")[:34].strip("-") or "outil"
    code, n = base, 1
    while FundingTool.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _check_territories(refs: list[str], departement: str | None) -> None:
    for ref in refs:
        territory = parse_territory_ref(ref)
        if departement is None:
            continue
        if territory.niveau == "commune":
            inside = Commune.objects.filter(pk=territory.code, departement_id=departement).exists()
        elif territory.niveau == "epci":
            inside = Commune.objects.filter(epci_id=territory.code, departement_id=departement).exists()
        else:
            inside = territory.niveau == "departement" and territory.code == departement
        if not inside:
            raise ValueError(TERRITORY_OUTSIDE.format(nom=territory.nom, departement=departement))


def _state(tool: FundingTool) -> dict[str, Any]:
    return {
        "nom": tool.nom,
        "departement": tool.departement_id,
        "nature": tool.nature,
        "montant_max": None if tool.montant_max is None else f"{tool.montant_max:.2f}",
        "taux_max": None if tool.taux_max is None else f"{tool.taux_max:.2f}",
        "porteurs": tool.porteurs,
        "territoires": tool.territoires,
        "validite": [str(d) if d else None for d in (tool.ouvert_le, tool.ouvert_jusqu_au)],
        "remplace_par": tool.remplace_par,
    }


def save_tool(user: Any, tool: FundingTool, departement: str | None = None) -> FundingTool:
    """Create a tool (``tool.pk`` None) for ``departement`` — an officer's own, whatever is asked; None, a national
    tool, for an administrator only — or change one the user may edit (``perms.can_edit_tool``)."""
    creating = tool.pk is None
    before = None
    if creating:
        if role_of(user) != Role.ADMINISTRATEUR:
            departement = perms.catalogue_departement(user)
            if departement is None:
                raise PermissionError(TOOL_NOT_YOURS)
        if departement is not None and not Departement.objects.filter(pk=departement).exists():
            raise ValueError(UNKNOWN_DEPARTEMENT.format(code=departement))
        tool.departement_id = departement
    else:
        stored = FundingTool.objects.get(pk=tool.pk)
        if stored.aide_id is not None:
            raise PermissionError(TOOL_IMPORTED)
        if not perms.can_edit_tool(user, stored):
            raise PermissionError(TOOL_NOT_YOURS)
        tool.departement_id = stored.departement_id  # an officer never moves a tool to another département
        tool.aide_id = None
        before = _state(stored)
    if tool.montant_max is not None and tool.montant_max < 0:
        raise ValueError(NEGATIVE_CEILING)
    if tool.taux_max is not None and not 0 <= tool.taux_max <= 100:
        raise ValueError(RATE_OUT_OF_RANGE)
    for carrier in tool.porteurs:
        if carrier not in Carrier.values:
            raise ValueError(UNKNOWN_CARRIER.format(code=carrier))
    check_dates(tool.ouvert_le, tool.ouvert_jusqu_au)
    _check_territories(tool.territoires, tool.departement_id)
    with transaction.atomic():
        if creating:
            tool.code = _unique_code(tool.departement_id, tool.nom)
            if tool.departement_id is not None:
                tool.ordre = DEPARTEMENT_ORDER
        tool.save()
        record(
            user,
            "outil.creation" if creating else "outil.modification",
            tool,
            {"avant": before, "apres": _state(tool)},
        )
    return tool
