"""Who may see and do what with a project. Pages and API call these same functions.

- administrateur: everything;
- Département: the projects of their département (create, edit, move through the stages);
- ARS: the projects of their région: create and instruct them as the Département does, and record the committee's
  decision; the Département's accompaniment (partners, actions, funding) is visible to both;
- ARS, délégation départementale: the same, for the projects of their département only (not the rest of the région);
- CPAM: the projects of their région: read, comment (opinions);
- URPS, Ordre, Préfecture: the projects of their région they are invited to (ProjectGuest): read, comment;
- commune / EPCI: the projects of their own organisation: read, comment, upload documents;
- porteur (the professionals, SISA or association carrying a project): the projects they were given access to
  (ProjectGuest): read, comment, upload documents, write and submit the projet de santé;
- professionnel, anonymous, anyone else: nothing (404, never data).
Documents marked restricted stay with the Département (and administrators).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from oasis.accounts.enums import ARS_ROLES, INVITED_ROLES, Role
from oasis.accounts.models import role_of
from oasis.projects.enums import COMMITTEE_DECISIONS, PAUSED
from oasis.projects.models import Project, ProjectGuest
from oasis.territories.models import Departement

INSTRUCTING = (Role.ADMINISTRATEUR, Role.DEPARTEMENT, *ARS_ROLES)
"""Roles that create, edit and move projects (within their territory)."""


def visible_projects(user: Any) -> QuerySet[Project]:
    role = role_of(user)
    projects = Project.objects.all()
    if role == Role.ADMINISTRATEUR:
        return projects
    profile = getattr(user, "profile", None)
    if role in (Role.DEPARTEMENT, Role.ARS_DD) and profile is not None:
        return projects.filter(departement_id=profile.departement_id)
    if role in (Role.ARS, Role.CPAM) and profile is not None:
        return projects.filter(region_id=profile.region_id)
    if role in INVITED_ROLES and profile is not None:
        return projects.filter(region_id=profile.region_id, guests__user=user)
    if role == Role.PORTEUR:
        return projects.filter(guests__user=user)
    if role == Role.COLLECTIVITE and profile is not None:
        return projects.filter(collectivite_niveau=profile.collectivite_niveau, collectivite_code=profile.collectivite_code)
    return projects.none()


def can_view(user: Any, project: Project) -> bool:
    return visible_projects(user).filter(pk=project.pk).exists()


def can_create(user: Any) -> bool:
    return role_of(user) in INSTRUCTING


def can_create_in(user: Any, departement_code: str) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATEUR:
        return True
    if role in (Role.DEPARTEMENT, Role.ARS_DD):
        return bool(user.profile.departement_id == departement_code)
    if role == Role.ARS:
        return Departement.objects.filter(pk=departement_code, region_id=user.profile.region_id).exists()
    return False


def can_edit(user: Any, project: Project) -> bool:
    return role_of(user) in INSTRUCTING and can_view(user, project)


def can_comment(user: Any, project: Project) -> bool:
    commenting = (
        Role.ADMINISTRATEUR,
        Role.DEPARTEMENT,
        *ARS_ROLES,
        Role.CPAM,
        Role.COLLECTIVITE,
        Role.PORTEUR,
        *INVITED_ROLES,
    )
    return role_of(user) in commenting and can_view(user, project)


def can_move_to(user: Any, project: Project, stage: str) -> bool:
    """The committee's decisions belong to the ARS (and administrators); every other move to the Département and
    the ARS."""
    role = role_of(user)
    if not can_view(user, project):
        return False
    if project.stage in PAUSED:  # resuming goes back to where the project was: not a new decision
        return role in INSTRUCTING
    if stage in COMMITTEE_DECISIONS:
        return role in (Role.ADMINISTRATEUR, *ARS_ROLES)
    return role in INSTRUCTING


def can_upload(user: Any, project: Project) -> bool:
    """Documents: those who instruct the project, its own commune or EPCI, its porteurs."""
    return role_of(user) in (*INSTRUCTING, Role.COLLECTIVITE, Role.PORTEUR) and can_view(user, project)


def can_write_projet_de_sante(user: Any, project: Project) -> bool:
    """The projet de santé is the porteurs' text; those who instruct the project may help write it."""
    return role_of(user) in (*INSTRUCTING, Role.PORTEUR) and can_view(user, project)


def can_edit_budget(user: Any, project: Project) -> bool:
    """The operating budget is shared by the professionals: their porteurs and the Département (and administrators)
    write it; everyone who sees the project reads it."""
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.PORTEUR) and can_view(user, project)


def can_see_restricted(user: Any, project: Project) -> bool:
    """Documents kept to the Département (and administrators)."""
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT) and can_view(user, project)


def can_invite(user: Any, project: Project) -> bool:
    return can_edit(user, project)


def carriers(project: Project) -> QuerySet[ProjectGuest]:
    """The porteurs' accounts given access to the project."""
    return project.guests.filter(user__profile__role=Role.PORTEUR).select_related("user__profile", "invited_by")


def invitable(project: Project) -> QuerySet[Any]:
    """Active partner accounts of the project's région not yet invited to it."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role__in=INVITED_ROLES, profile__region_id=project.region_id)
        .exclude(project_invitations__project=project)
        .select_related("profile")
        .order_by("profile__organisation", "email")
    )


def audience(project: Project, *, restricted: bool = False) -> QuerySet[Any]:
    """The active users whose role and territory give them sight of the project (administrators aside): those told
    of what happens to it. ``restricted``: only those who see the Département's restricted documents."""
    departement = Q(profile__role=Role.DEPARTEMENT, profile__departement_id=project.departement_id)
    if restricted:
        who = departement
    else:
        who = (
            departement
            | Q(profile__role__in=(Role.ARS, Role.CPAM), profile__region_id=project.region_id)
            | Q(profile__role=Role.ARS_DD, profile__departement_id=project.departement_id)
            | Q(profile__role__in=INVITED_ROLES, profile__region_id=project.region_id, project_invitations__project=project)
            | Q(profile__role=Role.PORTEUR, project_invitations__project=project)
            | Q(
                profile__role=Role.COLLECTIVITE,
                profile__collectivite_niveau=project.collectivite_niveau,
                profile__collectivite_code=project.collectivite_code,
            )
        )
    return get_user_model().objects.filter(who, is_active=True).distinct()


# --- The funding catalogue ------------------------------------------------------------------------------------------


def can_manage_catalogue(user: Any) -> bool:
    """Add tools to the funding catalogue: an administrator (national tools), a Département's officer (its own)."""
    role = role_of(user)
    profile = getattr(user, "profile", None)
    return role == Role.ADMINISTRATEUR or (role == Role.DEPARTEMENT and profile is not None and bool(profile.departement_id))


def catalogue_departement(user: Any) -> str | None:
    """The département whose tools a Département's officer edits (None for everyone else)."""
    profile = getattr(user, "profile", None)
    return profile.departement_id if role_of(user) == Role.DEPARTEMENT and profile is not None else None


def can_edit_tool(user: Any, tool: Any) -> bool:
    """A tool imported from Aides-territoires follows its source: nobody edits it here. An administrator edits the
    others; a Département's officer only its own département's."""
    if tool.aide_id is not None:
        return False
    if role_of(user) == Role.ADMINISTRATEUR:
        return True
    departement = catalogue_departement(user)
    return departement is not None and tool.departement_id == departement
