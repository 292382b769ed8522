"""Project endpoints, behind the same permissions as the pages (session authentication)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from oasis.api.schemas import Erreur
from oasis.projects import perms
from oasis.projects.documents import visible_documents
from oasis.projects.funding import summarise
from oasis.projects.models import Project

router = Router(tags=["Projets"], auth=django_auth)


class Transition(Schema):
    de: str
    vers: str
    date: str
    par: str | None
    motif: str


class ProjetResume(Schema):
    id: int
    nom: str
    type: str
    commune: str
    departement: str
    etape: str
    prochaine_action: str
    echeance: str | None
    en_retard: bool


class Projet(ProjetResume):
    porteur: str
    territoire: list[str]
    historique: list[Transition]


def _summary(project: Project) -> dict[str, object]:
    return {
        "id": project.pk,
        "nom": project.nom,
        "type": project.kind,
        "commune": project.commune_principale_id,
        "departement": project.departement_id,
        "etape": project.stage,
        "prochaine_action": project.next_action,
        "echeance": project.next_action_due.isoformat() if project.next_action_due else None,
        "en_retard": project.overdue,
    }


@router.get("/projets", response=list[ProjetResume], summary="Projets visibles pour l'utilisateur connecté")
def projets(request: HttpRequest) -> list[dict[str, object]]:
    return [_summary(p) for p in perms.visible_projects(request.user)]


@router.get("/projets/{projet_id}", response={200: Projet, 404: Erreur}, summary="Un projet et son historique")
def projet(request: HttpRequest, projet_id: int) -> dict[str, object]:
    project = get_object_or_404(perms.visible_projects(request.user), pk=projet_id)
    return {
        **_summary(project),
        "porteur": project.carrier_name,
        "territoire": project.territory_codes(),
        "historique": [
            {
                "de": t.from_stage,
                "vers": t.to_stage,
                "date": t.at.isoformat(),
                "par": t.by.email if t.by else None,
                "motif": t.reason,
            }
            for t in project.transitions.select_related("by")
        ],
    }


class LigneFinancement(Schema):
    outil: str
    financeur: str
    objet: str
    demande: float
    demande_le: str | None
    accorde: float | None
    accorde_le: str | None
    verse: float | None
    verse_le: str | None


class PlanFinancement(Schema):
    cout_total: float | None
    total_demande: float
    total_accorde: float
    total_verse: float
    aides_publiques_demandees: float
    aides_publiques_accordees: float
    plafond_aides_publiques_pourcent: int
    plafond_depasse: bool
    alertes: list[str]
    lignes: list[LigneFinancement]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/projets/{projet_id}/financement", response={200: PlanFinancement, 404: Erreur}, summary="Plan de financement d'un projet"
)
def financement(request: HttpRequest, projet_id: int) -> dict[str, object]:
    project = get_object_or_404(perms.visible_projects(request.user), pk=projet_id)
    lines = list(project.funding.select_related("tool"))
    plan = summarise(project, lines)
    return {
        "cout_total": _float(plan.cost),
        "total_demande": float(plan.requested),
        "total_accorde": float(plan.granted),
        "total_verse": float(plan.paid),
        "aides_publiques_demandees": float(plan.public_requested),
        "aides_publiques_accordees": float(plan.public_granted),
        "plafond_aides_publiques_pourcent": plan.cap_percent,
        "plafond_depasse": plan.cap_exceeded,
        "alertes": plan.messages,
        "lignes": [
            {
                "outil": line.tool.code,
                "financeur": line.tool.financeur,
                "objet": line.objet,
                "demande": float(line.demande),
                "demande_le": _iso(line.demande_le),
                "accorde": _float(line.accorde),
                "accorde_le": _iso(line.accorde_le),
                "verse": _float(line.verse),
                "verse_le": _iso(line.verse_le),
            }
            for line in lines
        ],
    }


class ActionSchema(Schema):
    id: int
    type: str
    date: str
    objet: str
    participants: str
    compte_rendu: str


@router.get("/projets/{projet_id}/actions", response={200: list[ActionSchema], 404: Erreur}, summary="Journal des actions")
def actions(request: HttpRequest, projet_id: int) -> list[dict[str, object]]:
    project = get_object_or_404(perms.visible_projects(request.user), pk=projet_id)
    return [
        {
            "id": a.pk,
            "type": a.kind,
            "date": a.date.isoformat(),
            "objet": a.objet,
            "participants": a.participants,
            "compte_rendu": a.compte_rendu,
        }
        for a in project.actions.all()
    ]


class DocumentSchema(Schema):
    id: int
    type: str
    titre: str
    reserve_au_departement: bool
    versions: int
    derniere_version: str | None


@router.get(
    "/projets/{projet_id}/documents",
    response={200: list[DocumentSchema], 404: Erreur},
    summary="Documents du projet (métadonnées ; le téléchargement passe par la page du projet)",
)
def documents_list(request: HttpRequest, projet_id: int) -> list[dict[str, object]]:
    project = get_object_or_404(perms.visible_projects(request.user), pk=projet_id)
    rows = []
    for document in visible_documents(request.user, project).prefetch_related("versions"):
        versions = list(document.versions.all())
        rows.append(
            {
                "id": document.pk,
                "type": document.kind,
                "titre": document.titre,
                "reserve_au_departement": document.restreint,
                "versions": len(versions),
                "derniere_version": versions[0].uploaded_at.isoformat() if versions else None,
            }
        )
    return rows
