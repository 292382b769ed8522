"""Who may see and do what with a project. Pages and API call these same functions.

- administrateur: everything;
- Département: the projects of their département (create, edit, move through the stages);
- ARS / CPAM: the projects of their région: read, comment (opinions); the ARS also records the committee's decision;
- commune / EPCI: the projects of their own organisation: read, comment;
- professionnel, anonymous, anyone else: nothing (404, never data).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.projects.enums import COMMITTEE_DECISIONS, PAUSED
from oasis.projects.models import Project


def visible_projects(user: Any) -> QuerySet[Project]:
    role = role_of(user)
    projects = Project.objects.all()
    if role == Role.ADMINISTRATEUR:
        return projects
    profile = getattr(user, "profile", None)
    if role == Role.DEPARTEMENT and profile is not None:
        return projects.filter(departement_id=profile.departement_id)
    if role in (Role.ARS, Role.CPAM) and profile is not None:
        return projects.filter(region_id=profile.region_id)
    if role == Role.COLLECTIVITE and profile is not None:
        return projects.filter(collectivite_niveau=profile.collectivite_niveau, collectivite_code=profile.collectivite_code)
    return projects.none()


def can_view(user: Any, project: Project) -> bool:
    return visible_projects(user).filter(pk=project.pk).exists()


def can_create(user: Any) -> bool:
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT)


def can_create_in(user: Any, departement_code: str) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATEUR:
        return True
    return role == Role.DEPARTEMENT and user.profile.departement_id == departement_code


def can_edit(user: Any, project: Project) -> bool:
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT) and can_view(user, project)


def can_comment(user: Any, project: Project) -> bool:
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.ARS, Role.CPAM, Role.COLLECTIVITE) and can_view(
        user, project
    )


def can_move_to(user: Any, project: Project, stage: str) -> bool:
    """The committee's decisions belong to the ARS (and administrators); every other move to the Département."""
    role = role_of(user)
    if not can_view(user, project):
        return False
    if project.stage in PAUSED:  # resuming goes back to where the project was: not a new decision
        return role in (Role.ADMINISTRATEUR, Role.DEPARTEMENT)
    if stage in COMMITTEE_DECISIONS:
        return role in (Role.ADMINISTRATEUR, Role.ARS)
    return role in (Role.ADMINISTRATEUR, Role.DEPARTEMENT)


def can_upload(user: Any, project: Project) -> bool:
    """Documents: the Département, administrators and the project's own commune or EPCI."""
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.COLLECTIVITE) and can_view(user, project)


def can_see_restricted(user: Any, project: Project) -> bool:
    """Documents kept to the Département (and administrators)."""
    return can_edit(user, project)
