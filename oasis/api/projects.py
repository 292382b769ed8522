"""Project endpoints, behind the same permissions as the pages (session authentication)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from oasis.api.schemas import Erreur
from oasis.projects import perms
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
