"""The pipeline: a candidate put in touch with a post or a commune, each step of the way (reaching « installé » fills the
post and fulfils a pending aid commitment), and the visits of the territory with their feedback.

Every activity on a file extends its retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from oasis.audit.services import record
from oasis.recruitment import perms
from oasis.recruitment.agreements import record_installation
from oasis.recruitment.candidates import _touch
from oasis.recruitment.common import NotAllowed, _commune
from oasis.recruitment.enums import PipelineStage, VacancyStatus
from oasis.recruitment.models import AidAgreement, Candidate, Placement, PlacementStep, Vacancy, Visit

# Refusals, asserted by reference in the tests. Templates take their values by name.
CANNOT_FOLLOW_CANDIDATE = "Votre rôle ne permet pas de suivre ce candidat."
VACANCY_NOT_FOUND = "Poste introuvable."
VACANCY_OR_COMMUNE_NEEDED = "Indiquez un poste ou une commune."
PROFESSION_MISMATCH = "La profession du poste n'est pas celle du candidat."
UNKNOWN_STAGE = "Étape inconnue : « {stage} »."
PLACEMENT_CLOSED = "Cette mise en relation est close."
INSTALLATION_DATE_NEEDED = "Indiquez la date d'installation."
CANNOT_PLAN_VISIT = "Votre rôle ne permet pas de planifier une visite."
VISIT_PLACES_NEEDED = "Indiquez les lieux de la visite."
CANNOT_EDIT_VISIT = "Votre rôle ne permet pas de modifier cette visite."


def start_placement(user: Any, candidate: Candidate, vacancy: Vacancy | None, commune_code: str | None = None) -> Placement:
    """Put a candidate in touch with a post (or a commune)."""
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_FOLLOW_CANDIDATE)
    if vacancy is not None and not perms.visible_vacancies(user).filter(pk=vacancy.pk).exists():
        raise ValueError(VACANCY_NOT_FOUND)
    commune = vacancy.commune if vacancy is not None else _commune(commune_code, "Mise en relation")
    if commune is None:
        raise ValueError(VACANCY_OR_COMMUNE_NEEDED)
    if vacancy is not None and vacancy.profession != candidate.profession:
        raise ValueError(PROFESSION_MISMATCH)
    with transaction.atomic():
        placement = Placement.objects.create(candidate=candidate, vacancy=vacancy, commune=commune)
        PlacementStep.objects.create(placement=placement, stage=placement.stage, by=user, note="Mise en relation")
        record(user, "candidat.mise_en_relation", candidate, {"mise_en_relation": placement.pk, "poste": vacancy and vacancy.pk})
        _touch(candidate)
    return placement


@dataclass(frozen=True)
class MoveOutcome:
    placement: Placement
    fulfilled: AidAgreement | None


def move_placement(user: Any, placement: Placement, stage: str, note: str = "", installe_le: date | None = None) -> MoveOutcome:
    """Advance a placement. Reaching "installé" fills the post and fulfils a pending aid commitment in the territory."""
    candidate = placement.candidate
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_FOLLOW_CANDIDATE)
    if stage not in PipelineStage.values:
        raise ValueError(UNKNOWN_STAGE.format(stage=stage))
    if placement.stage in (PipelineStage.INSTALLE, PipelineStage.ABANDON):
        raise ValueError(PLACEMENT_CLOSED)
    if stage == PipelineStage.INSTALLE and installe_le is None:
        raise ValueError(INSTALLATION_DATE_NEEDED)
    fulfilled = None
    with transaction.atomic():
        PlacementStep.objects.create(placement=placement, stage=stage, by=user, note=note.strip()[:500])
        placement.stage = stage
        if stage == PipelineStage.INSTALLE:
            placement.installe_le = installe_le
            if placement.vacancy is not None:
                Vacancy.objects.filter(pk=placement.vacancy.pk).update(statut=VacancyStatus.POURVU)
            pending = [
                a
                for a in candidate.agreements.select_related("scheme").filter(installe_le__isnull=True, rupture_le__isnull=True)
                if a.scheme.departement_id in (None, placement.commune.departement_id)
            ]
            if pending and installe_le is not None:
                fulfilled = pending[0]
                record_installation(user, fulfilled, placement.commune, installe_le)
        placement.save()
        record(user, "candidat.etape", candidate, {"mise_en_relation": placement.pk, "vers": stage})
        _touch(candidate)
    return MoveOutcome(placement, fulfilled)


@dataclass
class VisitData:
    date: date
    lieux: str
    personnes_rencontrees: str = ""
    retour: str = ""
    vacancy_id: int | None = None


def plan_visit(user: Any, candidate: Candidate, data: VisitData) -> Visit:
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_PLAN_VISIT)
    if not data.lieux.strip():
        raise ValueError(VISIT_PLACES_NEEDED)
    vacancy = None
    if data.vacancy_id is not None:
        vacancy = perms.visible_vacancies(user).filter(pk=data.vacancy_id).first()
        if vacancy is None:
            raise ValueError(VACANCY_NOT_FOUND)
    with transaction.atomic():
        visit = Visit.objects.create(
            candidate=candidate,
            vacancy=vacancy,
            date=data.date,
            lieux=data.lieux.strip(),
            personnes_rencontrees=data.personnes_rencontrees.strip(),
            retour=data.retour.strip(),
            created_by=user,
        )
        record(user, "candidat.visite", candidate, {"visite": visit.pk, "date": data.date.isoformat()})
        _touch(candidate)
    return visit


def record_feedback(user: Any, visit: Visit, personnes: str, retour: str) -> None:
    if not perms.can_manage(user, visit.candidate):
        raise NotAllowed(CANNOT_EDIT_VISIT)
    with transaction.atomic():
        visit.personnes_rencontrees, visit.retour = personnes.strip(), retour.strip()
        visit.save(update_fields=["personnes_rencontrees", "retour"])
        record(user, "candidat.visite.retour", visit.candidate, {"visite": visit.pk})
