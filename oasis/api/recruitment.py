"""Recruitment endpoints, behind the same permissions as the pages (session authentication); every candidate read is audited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from oasis.api.schemas import Erreur
from oasis.recruitment import perms
from oasis.recruitment.candidates import export_candidate

router = Router(tags=["Recrutement"], auth=django_auth)


class Poste(Schema):
    id: int
    profession: str
    mode: str
    commune: str
    commune_nom: str
    debut: str | None
    logement: bool
    statut: str
    projet: int | None


@router.get("/postes", response=list[Poste], summary="Postes à pourvoir visibles pour l'utilisateur connecté")
def postes(request: HttpRequest, statut: str = "ouvert") -> list[dict[str, object]]:
    vacancies = perms.visible_vacancies(request.user).select_related("commune").filter(statut=statut)
    return [
        {
            "id": v.pk,
            "profession": v.profession,
            "mode": v.mode,
            "commune": v.commune_id,
            "commune_nom": v.commune.nom,
            "debut": v.debut.isoformat() if v.debut else None,
            "logement": v.logement,
            "statut": v.statut,
            "projet": v.project_id,
        }
        for v in vacancies
    ]


@router.get(
    "/candidats/{candidat_id}",
    response={200: dict, 404: Erreur},
    summary="Toutes les données d'un candidat (droit d'accès ; la lecture est enregistrée dans son journal)",
)
def candidat(request: HttpRequest, candidat_id: int) -> dict[str, Any]:
    candidate = get_object_or_404(perms.visible_candidates(request.user), pk=candidat_id)
    return export_candidate(request.user, candidate)
