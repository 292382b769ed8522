"""Actions of a Département that concern a territory or several projects rather than one: coordination with the ARS
and the CPAM, communication, prevention (seed 000: « actions collectives de coordination avec les autorités
sanitaires, de communication ou de prévention »). Its officers record them; the ARS and CPAM of the région read
them; each project concerned shows them to whoever sees the project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import record
from oasis.projects import perms
from oasis.projects.enums import ActionKind
from oasis.projects.models import Project, TerritoryAction
from oasis.projects.services import NotAllowed

NOT_OFFICER = "Seuls les chargés de mission du Département enregistrent ses actions de territoire."
NO_OBJECT = "Indiquez l'objet de l'action."
UNKNOWN_KIND = "Type d'action inconnu : « {kind} »."
OTHER_DEPARTEMENT = "Un projet choisi n'est pas un projet du Département."


def can_manage(user: Any, departement_code: str) -> bool:
    role = role_of(user)
    return role == Role.ADMINISTRATEUR or (role == Role.DEPARTEMENT and user.profile.departement_id == departement_code)


def can_read(user: Any, departement_code: str, region_code: str) -> bool:
    role = role_of(user)
    if can_manage(user, departement_code):
        return True
    return role in (Role.ARS, Role.CPAM) and user.profile.region_id == region_code


def of_departement(departement_code: str) -> QuerySet[TerritoryAction]:
    return TerritoryAction.objects.filter(departement_id=departement_code).prefetch_related("projects")


@dataclass(frozen=True)
class ActionEntry:
    kind: str
    date: date
    objet: str
    territoire: str = ""
    participants: str = ""
    compte_rendu: str = ""


def add(user: Any, departement_code: str, entry: ActionEntry, project_ids: list[int]) -> TerritoryAction:
    if not can_manage(user, departement_code):
        raise NotAllowed(NOT_OFFICER)
    if entry.kind not in ActionKind.values:
        raise ValueError(UNKNOWN_KIND.format(kind=entry.kind))
    if not entry.objet.strip():
        raise ValueError(NO_OBJECT)
    projects = list(Project.objects.filter(pk__in=project_ids, departement_id=departement_code))
    if len(projects) != len(set(project_ids)):
        raise ValueError(OTHER_DEPARTEMENT)
    with transaction.atomic():
        action = TerritoryAction.objects.create(
            departement_id=departement_code,
            kind=entry.kind,
            date=entry.date,
            objet=entry.objet.strip()[:300],
            territoire=entry.territoire.strip()[:200],
            participants=entry.participants.strip(),
            compte_rendu=entry.compte_rendu.strip(),
            created_by=user,
        )
        action.projects.set(projects)
        record(user, "action_territoire.ajout", action, {"objet": action.objet, "projets": sorted(p.pk for p in projects)})
    return action


def remove(user: Any, action: TerritoryAction) -> None:
    if not can_manage(user, action.departement_id):
        raise NotAllowed(NOT_OFFICER)
    with transaction.atomic():
        record(user, "action_territoire.suppression", action, {"objet": action.objet})
        action.delete()


def for_project(user: Any, project: Project) -> list[TerritoryAction]:
    """The territory actions that concern this project, for whoever sees it."""
    if not perms.can_view(user, project):
        return []
    return list(project.territory_actions.all())
