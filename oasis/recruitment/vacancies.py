"""Vacancies: a post published on one's territory (possibly tied to a followed project), and its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from oasis.audit.services import record
from oasis.recruitment import perms
from oasis.recruitment.common import PROJECT_NOT_FOUND, NotAllowed, _commune
from oasis.recruitment.enums import VacancyStatus
from oasis.recruitment.models import Vacancy

# Refusals, asserted by reference in the tests. Templates take their values by name.
VACANCY_OUTSIDE_TERRITORY = "Vous ne pouvez publier un poste que sur votre territoire."
CANNOT_EDIT_VACANCY = "Votre rôle ne permet pas de modifier ce poste."
UNKNOWN_VACANCY_STATUS = "Statut inconnu : « {statut} »."


@dataclass
class VacancyData:
    commune: str
    profession: str
    mode: str
    contact_nom: str
    debut: date | None = None
    conditions: str = ""
    logement: bool = False
    logement_details: str = ""
    contact_email: str = ""
    contact_telephone: str = ""
    project_id: int | None = None


def create_vacancy(user: Any, data: VacancyData) -> Vacancy:
    commune = _commune(data.commune, "Poste à pourvoir")
    assert commune is not None
    if not perms.can_publish_vacancy_in(user, commune):
        raise NotAllowed(VACANCY_OUTSIDE_TERRITORY)
    project = None
    if data.project_id is not None:
        from oasis.projects.perms import visible_projects

        project = visible_projects(user).filter(pk=data.project_id).first()
        if project is None:
            raise ValueError(PROJECT_NOT_FOUND)
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            departement_id=commune.departement_id,
            commune=commune,
            project=project,
            profession=data.profession,
            mode=data.mode,
            debut=data.debut,
            conditions=data.conditions.strip(),
            logement=data.logement,
            logement_details=data.logement_details.strip(),
            contact_nom=data.contact_nom.strip(),
            contact_email=data.contact_email.strip(),
            contact_telephone=data.contact_telephone.strip(),
            created_by=user,
        )
        record(user, "poste.creation", vacancy, {"commune": commune.pk, "profession": data.profession})
    return vacancy


def set_vacancy_status(user: Any, vacancy: Vacancy, statut: str) -> None:
    if not perms.can_edit_vacancy(user, vacancy):
        raise NotAllowed(CANNOT_EDIT_VACANCY)
    if statut not in VacancyStatus.values:
        raise ValueError(UNKNOWN_VACANCY_STATUS.format(statut=statut))
    with transaction.atomic():
        record(user, "poste.statut", vacancy, {"avant": vacancy.statut, "apres": statut})
        vacancy.statut = statut
        vacancy.save(update_fields=["statut"])
