"""Each région's cahier des charges, entered by its ARS from its own official text: the minimum team, the SISA rule
and the requirements of the projet de santé, with the text they come from. A région without one uses the national
default. Conformity (oasis.projects.conformity) reads whichever applies to the project's région."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import history, record
from oasis.concurrency import read_token, refuse_if_changed
from oasis.projects.enums import ProjectKind
from oasis.projects.models import CAHIER_KINDS, CahierDesCharges
from oasis.projects.services import NotAllowed
from oasis.territories.models import Region

MAX_MINIMUM = 20
MAX_ITEMS = 60
ITEM_SEPARATOR = "|"
OPTIONAL_MARK = "facultatif"
TELEMEDECINE = "telemedecine"
"""The code of the telemedicine requirement (téléconsultation, téléexpertise): a région asks for it by listing it
without « facultatif »; the projet de santé's telemedicine section is then required (``telemedicine_required``)."""

NOT_THE_REGIONS_ARS = "Seule l'ARS de la région fixe son cahier des charges."
UNKNOWN_REGION = "Région inconnue : {code}."
SOURCE_REQUIRED = "Indiquez la source : le texte de l'ARS (intitulé, date, adresse) dont viennent ces règles."
MINIMUM_OUT_OF_BOUNDS = "Nombre minimum de {label} : entre 0 et {limit} (lu : {value})."
BAD_LINE = (
    "Ligne {number} des exigences : écrivez « Catégorie "
    + ITEM_SEPARATOR
    + " Libellé », suivi au besoin de « "
    + ITEM_SEPARATOR
    + " "
    + OPTIONAL_MARK
    + " » (lu : « {line} »)."
)
DUPLICATE_LINE = "Ligne {number} des exigences : « {libelle} » figure déjà dans la liste."
NO_ITEMS = "Indiquez au moins une exigence du projet de santé."
TOO_MANY_ITEMS = "{count} exigences : {limit} au plus."
ALREADY_DEFAULT = "La région applique déjà les règles par défaut."
UNKNOWN_KIND = "Type de structure sans cahier des charges : {kind}."


@dataclass(frozen=True)
class RulesData:
    titre: str
    source: str
    min_generalistes: int
    min_auxiliaires: int
    salaries_moins_que_associes: bool
    items_text: str
    """One requirement per line: « Catégorie | Libellé »."""


def can_edit(user: Any, region_code: str) -> bool:
    """The ARS of the région (and administrators)."""
    role = role_of(user)
    return role == Role.ADMINISTRATEUR or (role == Role.ARS and user.profile.region_id == region_code)


def cahier_kind(project_kind: str) -> str:
    """The cahier a kind of project is judged by: its own, or the MSP's for a kind without one (CPTS)."""
    return project_kind if project_kind in CAHIER_KINDS else ProjectKind.MSP


def kind_label(kind: str) -> str:
    return str(ProjectKind(kind).label) if kind in ProjectKind.values else kind


def national_default(kind: str = ProjectKind.MSP) -> CahierDesCharges | None:
    return CahierDesCharges.objects.filter(region__isnull=True, kind=kind).first()


def regional(region_code: str, kind: str = ProjectKind.MSP) -> CahierDesCharges | None:
    return CahierDesCharges.objects.filter(region_id=region_code, kind=kind).first()


def applied(region_code: str, project_kind: str) -> CahierDesCharges | None:
    """The rules a project of this kind in this région is judged by: the région's for its kind, else the national
    default for its kind."""
    kind = cahier_kind(project_kind)
    return regional(region_code, kind) or national_default(kind)


def items_as_text(cahier: CahierDesCharges) -> str:
    return "\n".join(
        f"{item['categorie']} {ITEM_SEPARATOR} {item['libelle']}"
        + (f" {ITEM_SEPARATOR} {OPTIONAL_MARK}" if item.get("facultatif") else "")
        for item in cahier.items
    )


def parse_items(text: str, previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """« Catégorie | Libellé » lines to items, « | facultatif » at the end for a requirement the région lists without
    requiring it (shown, never counted as missing). A requirement keeps its code while its wording stays the same, so
    the answers already recorded on projects stay attached to it; a new wording gets a new code. A wording that starts
    with « Télémédecine » is the telemedicine requirement (``TELEMEDECINE``)."""
    codes = {item["libelle"]: item["code"] for item in previous}
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(ITEM_SEPARATOR)]
        optional = len(parts) == 3 and parts[2].lower() == OPTIONAL_MARK
        if len(parts) not in (2, 3) or (len(parts) == 3 and not optional) or not parts[0] or not parts[1]:
            raise ValueError(BAD_LINE.format(number=number, line=line.strip()))
        categorie, libelle = parts[0], parts[1]
        slug = slugify(libelle)
        code = codes.get(libelle) or (TELEMEDECINE if slug.startswith(TELEMEDECINE) else slug[:60])
        if not code or code in seen:
            raise ValueError(DUPLICATE_LINE.format(number=number, libelle=libelle))
        seen.add(code)
        item: dict[str, Any] = {"code": code, "categorie": categorie[:100], "libelle": libelle[:300]}
        if optional:
            item["facultatif"] = True
        items.append(item)
    if not items:
        raise ValueError(NO_ITEMS)
    if len(items) > MAX_ITEMS:
        raise ValueError(TOO_MANY_ITEMS.format(count=len(items), limit=MAX_ITEMS))
    return items


RULES_LABELS = {
    "titre": "Intitulé",
    "source": "Source",
    "min_generalistes": "Médecins généralistes au minimum",
    "min_auxiliaires": "Auxiliaires médicaux au minimum",
    "salaries_moins_que_associes": "Moins de salariés que d'associés",
    "items": "Exigences du projet de santé",
}


def _edited(cahier: CahierDesCharges | None) -> dict[str, Any]:
    """The fields the form edits, as stored; all empty when the région has no rule set of its own."""
    if cahier is None:
        return dict.fromkeys(RULES_LABELS, "")
    return {
        "titre": cahier.titre,
        "source": cahier.source,
        "min_generalistes": cahier.min_generalistes,
        "min_auxiliaires": cahier.min_auxiliaires,
        "salaries_moins_que_associes": cahier.salaries_moins_que_associes,
        "items": items_as_text(cahier),
    }


def rules_token(cahier: CahierDesCharges | None) -> str:
    """What the form carries of the région's rule set as read (see ``oasis.concurrency``)."""
    return read_token(_edited(cahier))


def save_regional(
    user: Any, region_code: str, data: RulesData, read: str | None = None, kind: str = ProjectKind.MSP
) -> CahierDesCharges:
    """Create or replace the région's rule set for a kind of structure; audited with what it was before. ``read``
    (``rules_token`` of the form's read) refuses to overwrite a rule set changed since with ``EditConflict``."""
    if not can_edit(user, region_code):
        raise NotAllowed(NOT_THE_REGIONS_ARS)
    if kind not in CAHIER_KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    region = Region.objects.filter(pk=region_code).first()
    if region is None:
        raise ValueError(UNKNOWN_REGION.format(code=region_code))
    if not data.source.strip():
        raise ValueError(SOURCE_REQUIRED)
    for label, value in (("médecins généralistes", data.min_generalistes), ("auxiliaires médicaux", data.min_auxiliaires)):
        if not 0 <= value <= MAX_MINIMUM:
            raise ValueError(MINIMUM_OUT_OF_BOUNDS.format(label=label, limit=MAX_MINIMUM, value=value))
    with transaction.atomic():
        stored = CahierDesCharges.objects.select_for_update().filter(region_id=region_code, kind=kind).first()
        refuse_if_changed(
            read,
            _edited(stored),
            {
                "titre": data.titre,
                "source": data.source,
                "min_generalistes": data.min_generalistes,
                "min_auxiliaires": data.min_auxiliaires,
                "salaries_moins_que_associes": data.salaries_moins_que_associes,
                "items": data.items_text,
            },
            RULES_LABELS,
            history(stored).filter(action="cahier_des_charges.modification") if stored is not None else [],
        )
        cahier = stored or CahierDesCharges(region=region, kind=kind)
        before = _snapshot(cahier) if cahier.pk else None
        cahier.items = parse_items(data.items_text, cahier.items if cahier.pk else _default_items(kind))
        cahier.titre = data.titre.strip()[:200] or f"Cahier des charges de l'ARS {region.nom} ({kind_label(kind)})"
        cahier.source = data.source.strip()[:300]
        cahier.min_generalistes = data.min_generalistes
        cahier.min_auxiliaires = data.min_auxiliaires
        cahier.salaries_moins_que_associes = data.salaries_moins_que_associes
        cahier.save()
        record(user, "cahier_des_charges.modification", cahier, {"avant": before, "apres": _snapshot(cahier)})
    return cahier


def remove_regional(user: Any, region_code: str, kind: str = ProjectKind.MSP) -> None:
    """Back to the national default of that kind of structure for the région."""
    if not can_edit(user, region_code):
        raise NotAllowed(NOT_THE_REGIONS_ARS)
    cahier = regional(region_code, kind)
    if cahier is None:
        raise ValueError(ALREADY_DEFAULT)
    with transaction.atomic():
        record(user, "cahier_des_charges.suppression", cahier, {"avant": _snapshot(cahier)})
        cahier.delete()


def telemedicine_required(cahier: CahierDesCharges | None) -> bool:
    """Whether this cahier asks for telemedicine (listed and not « facultatif »)."""
    if cahier is None:
        return False
    return any(item["code"] == TELEMEDECINE and not item.get("facultatif") for item in cahier.items)


def _default_items(kind: str) -> list[dict[str, Any]]:
    default = national_default(kind)
    return list(default.items) if default is not None else []


def _snapshot(cahier: CahierDesCharges) -> dict[str, Any]:
    return {
        "type": cahier.kind,
        "titre": cahier.titre,
        "source": cahier.source,
        "min_generalistes": cahier.min_generalistes,
        "min_auxiliaires": cahier.min_auxiliaires,
        "salaries_moins_que_associes": cahier.salaries_moins_que_associes,
        "items": cahier.items,
    }
