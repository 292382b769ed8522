"""Each région's fonds d'intervention régional (FIR) for maisons and centres de santé, entered once by its ARS: the
kinds of structure it funds, its amounts and conditions, and what a file must contain. Saving the rules writes the
région's two FIR tools of the funding catalogue (an étude de faisabilité, an aide au démarrage), offered only to the
projects of that région (``oasis.projects.funding.offered_tools``). Each project then has its FIR checklist, and its
FIR file is generated from its data (``oasis.www``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from oasis.audit.services import history, record
from oasis.concurrency import read_token, refuse_if_changed
from oasis.formatting import euros
from oasis.projects.cahiers import NOT_THE_REGIONS_ARS, can_edit
from oasis.projects.enums import FundingNature, ProjectKind, ZoneCondition
from oasis.projects.models import FirPieceAnswer, FirRules, FundingTool, Project
from oasis.projects.services import NotAllowed, require_edit
from oasis.territories.models import Region

MAX_PIECES = 40
FUNDED_KINDS = (ProjectKind.MSP, ProjectKind.MSP_MULTISITE, ProjectKind.CENTRE_DE_SANTE, ProjectKind.CPTS)

UNKNOWN_REGION = "Région inconnue : {code}."
SOURCE_REQUIRED = "Indiquez la source : le texte de l'ARS (intitulé, date, adresse) qui fixe ces règles du FIR."
NO_KIND = "Cochez au moins un type de structure financé par le FIR de la région."
NEGATIVE = "Les montants ne peuvent pas être négatifs."
NO_PIECES = "Indiquez au moins une pièce du dossier FIR, une par ligne."
TOO_MANY_PIECES = "{count} pièces : {limit} au plus."
DUPLICATE_PIECE = "Ligne {number} des pièces : « {libelle} » figure déjà dans la liste."
NO_FIR = "La région de ce projet n'a pas saisi les règles de son FIR : son ARS doit les saisir."
NOT_FUNDED = "Le FIR de la région ne finance pas ce type de structure ({kind})."

LABELS = {
    "titre": "Intitulé",
    "source": "Source",
    "types_structure": "Types de structure financés",
    "montant_etude": "Étude de faisabilité : montant maximal (€)",
    "montant_demarrage": "Aide au démarrage : montant maximal (€)",
    "demarrage_sous_dense": "Aide au démarrage réservée aux zones sous-denses",
    "conditions": "Conditions",
    "pieces": "Pièces du dossier",
}


@dataclass(frozen=True)
class FirData:
    titre: str
    source: str
    types_structure: list[str]
    montant_etude: Decimal | None
    montant_demarrage: Decimal | None
    demarrage_sous_dense: bool
    conditions: str
    pieces_text: str
    """One piece per line."""


def rules_for(region_code: str) -> FirRules | None:
    return FirRules.objects.filter(region_code=region_code).first()


def pieces_as_text(rules: FirRules | None) -> str:
    return "\n".join(piece["libelle"] for piece in rules.pieces) if rules is not None else ""


def _edited(rules: FirRules | None) -> dict[str, Any]:
    if rules is None:
        return dict.fromkeys(LABELS, "")
    return {
        "titre": rules.titre,
        "source": rules.source,
        "types_structure": sorted(rules.types_structure),
        "montant_etude": rules.montant_etude,
        "montant_demarrage": rules.montant_demarrage,
        "demarrage_sous_dense": rules.demarrage_sous_dense,
        "conditions": rules.conditions,
        "pieces": pieces_as_text(rules),
    }


def rules_token(rules: FirRules | None) -> str:
    return read_token(_edited(rules))


def parse_pieces(text: str, previous: list[dict[str, str]]) -> list[dict[str, str]]:
    """One piece per line; a piece keeps its code while its wording stays, so projects' answers stay attached."""
    codes = {piece["libelle"]: piece["code"] for piece in previous}
    pieces: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        libelle = line.strip()[:300]
        if not libelle:
            continue
        code = codes.get(libelle) or slugify(libelle)[:60]
        if not code or code in seen:
            raise ValueError(DUPLICATE_PIECE.format(number=number, libelle=libelle))
        seen.add(code)
        pieces.append({"code": code, "libelle": libelle})
    if not pieces:
        raise ValueError(NO_PIECES)
    if len(pieces) > MAX_PIECES:
        raise ValueError(TOO_MANY_PIECES.format(count=len(pieces), limit=MAX_PIECES))
    return pieces


def save_rules(user: Any, region_code: str, data: FirData, read: str | None = None) -> FirRules:
    """Create or replace the région's FIR rules and its two FIR tools; only the région's ARS (or an administrator);
    audited with what they were before. ``read`` (``rules_token`` of the form's read) refuses to overwrite rules
    changed since with ``EditConflict``."""
    if not can_edit(user, region_code):
        raise NotAllowed(NOT_THE_REGIONS_ARS)
    region = Region.objects.filter(pk=region_code).first()
    if region is None:
        raise ValueError(UNKNOWN_REGION.format(code=region_code))
    if not data.source.strip():
        raise ValueError(SOURCE_REQUIRED)
    kinds = sorted(kind for kind in set(data.types_structure) if kind in FUNDED_KINDS)
    if not kinds:
        raise ValueError(NO_KIND)
    if any(amount is not None and amount < 0 for amount in (data.montant_etude, data.montant_demarrage)):
        raise ValueError(NEGATIVE)
    with transaction.atomic():
        stored = FirRules.objects.select_for_update().filter(region_code=region_code).first()
        refuse_if_changed(
            read,
            _edited(stored),
            {
                "titre": data.titre,
                "source": data.source,
                "types_structure": kinds,
                "montant_etude": data.montant_etude,
                "montant_demarrage": data.montant_demarrage,
                "demarrage_sous_dense": data.demarrage_sous_dense,
                "conditions": data.conditions,
                "pieces": data.pieces_text,
            },
            LABELS,
            history(stored).filter(action="fir.regles") if stored is not None else [],
        )
        rules = stored or FirRules(region_code=region_code)
        before = _snapshot(rules) if rules.pk else None
        rules.pieces = parse_pieces(data.pieces_text, rules.pieces if rules.pk else [])
        rules.titre = data.titre.strip()[:200] or f"FIR de l'ARS {region.nom}"
        rules.source = data.source.strip()[:300]
        rules.types_structure = kinds
        rules.montant_etude = data.montant_etude
        rules.montant_demarrage = data.montant_demarrage
        rules.demarrage_sous_dense = data.demarrage_sous_dense
        rules.conditions = data.conditions.strip()
        rules.save()
        _write_tools(rules, region)
        record(user, "fir.regles", rules, {"region": region_code, "avant": before, "apres": _snapshot(rules)})
    return rules


def region_tools(region_code: str) -> list[FundingTool]:
    return list(FundingTool.objects.filter(region_code=region_code, code__startswith="fir-").order_by("nature"))


def _write_tools(rules: FirRules, region: Region) -> None:
    """The région's FIR tools, created on the first save and kept in step after (lines already using them stay)."""
    existing = {tool.nature: tool for tool in region_tools(region.pk)}
    for nature, suffix, label, amount in (
        (FundingNature.ETUDE, "etude", "étude de faisabilité", rules.montant_etude),
        (FundingNature.DEMARRAGE, "demarrage", "aide au démarrage", rules.montant_demarrage),
    ):
        # A new tool is open to every carrier; an existing one keeps the carriers an administrator set on it.
        tool = existing.get(nature) or FundingTool(code=f"fir-{suffix}-{region.pk}", nature=nature, ordre=0, porteurs=[])
        tool.nom = f"FIR {region.nom} — {label}"[:200]
        tool.financeur = f"ARS {region.nom} (fonds d'intervention régional)"[:200]
        tool.region_code = region.pk
        tool.public = True
        tool.montant_max = amount
        tool.types_structure = list(rules.types_structure)
        tool.zone = (
            ZoneCondition.SOUS_DENSE if nature == FundingNature.DEMARRAGE and rules.demarrage_sous_dense else ZoneCondition.TOUTE
        )
        tool.conditions = rules.conditions
        tool.source = rules.source
        tool.save()


def _snapshot(rules: FirRules) -> dict[str, Any]:
    return {
        "titre": rules.titre,
        "source": rules.source,
        "types_structure": rules.types_structure,
        "montant_etude": None if rules.montant_etude is None else f"{rules.montant_etude:.2f}",
        "montant_demarrage": None if rules.montant_demarrage is None else f"{rules.montant_demarrage:.2f}",
        "demarrage_sous_dense": rules.demarrage_sous_dense,
        "conditions": rules.conditions,
        "pieces": rules.pieces,
    }


# --- A project's FIR file ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PieceStatus:
    code: str
    libelle: str
    met: bool
    comment: str


@dataclass(frozen=True)
class FirFile:
    rules: FirRules
    funded: bool
    pieces: list[PieceStatus]

    @property
    def complete(self) -> bool:
        return all(piece.met for piece in self.pieces)

    @property
    def missing(self) -> list[PieceStatus]:
        return [piece for piece in self.pieces if not piece.met]

    def amounts(self) -> str:
        parts = []
        if self.rules.montant_etude is not None:
            parts.append(f"étude de faisabilité jusqu'à {euros(self.rules.montant_etude)}")
        if self.rules.montant_demarrage is not None:
            parts.append(f"aide au démarrage jusqu'à {euros(self.rules.montant_demarrage)}")
        return " ; ".join(parts)


def file_of(project: Project) -> FirFile | None:
    """The project's FIR file against its own région's rules (None when the région has entered none)."""
    rules = rules_for(project.region_id)
    if rules is None:
        return None
    answers = {answer.code: answer for answer in project.fir_pieces.all()}
    pieces = [
        PieceStatus(
            piece["code"],
            piece["libelle"],
            bool(answers.get(piece["code"]) and answers[piece["code"]].met),
            answers[piece["code"]].comment if piece["code"] in answers else "",
        )
        for piece in rules.pieces
    ]
    return FirFile(rules, project.kind in rules.types_structure, pieces)


def checklist_token(project: Project) -> str:
    return read_token({answer.code: [answer.met, answer.comment] for answer in project.fir_pieces.all()})


def set_pieces(user: Any, project: Project, met: set[str], comments: dict[str, str], read: str | None = None) -> None:
    """Record which pieces of the région's FIR file the project has; audited with the state before."""
    require_edit(user, project)
    rules = rules_for(project.region_id)
    if rules is None:
        raise ValueError(NO_FIR)
    codes = [piece["code"] for piece in rules.pieces]
    labels = {piece["code"]: piece["libelle"] for piece in rules.pieces}
    with transaction.atomic():
        stored = {a.code: a for a in FirPieceAnswer.objects.select_for_update().filter(project=project)}
        refuse_if_changed(
            read,
            {code: [a.met, a.comment] for code, a in stored.items()},
            {code: [code in met, comments.get(code, "").strip()[:500]] for code in codes},
            labels,
            history(project).filter(action="projet.fir.pieces"),
        )
        before = {code: a.met for code, a in stored.items()}
        for code in codes:
            FirPieceAnswer.objects.update_or_create(
                project=project, code=code, defaults={"met": code in met, "comment": comments.get(code, "").strip()[:500]}
            )
        record(user, "projet.fir.pieces", project, {"avant": before, "apres": {code: code in met for code in codes}})
