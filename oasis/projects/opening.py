"""Projects validated by the comité régional de sélection that have not opened yet, shown beside the open structures
(observatory, map).

Projects are not public (``perms``): the count of validated projects of a territory is an aggregate anyone may read —
it names no project, carrier, commune or person; the projects themselves (name, commune, date) are listed only to
those who may see each of them (``perms.visible_projects``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from oasis.projects import perms
from oasis.projects.enums import ProjectKind, Stage
from oasis.projects.models import Project

VALIDATED_NOT_OPEN = (Stage.VALIDE,)
"""Validated by the committee, not yet « Ouvert »: a suspended or abandoned project is no longer counted."""

MAISONS = (ProjectKind.MSP, ProjectKind.MSP_MULTISITE)


def _in(projects: QuerySet[Project], niveau: str, code: str) -> QuerySet[Project]:
    projects = projects.filter(stage__in=VALIDATED_NOT_OPEN)
    if niveau == "region":
        return projects.filter(region_id=code)
    if niveau == "departement":
        return projects.filter(departement_id=code)
    return projects


@dataclass(frozen=True)
class Count:
    maisons: int
    centres: int
    autres: int

    @property
    def total(self) -> int:
        return self.maisons + self.centres + self.autres


def count(niveau: str, code: str) -> Count:
    """How many projects of this territory are validated and not yet open (an aggregate: no project is named)."""
    kinds = list(_in(Project.objects.all(), niveau, code).values_list("kind", flat=True))
    maisons = sum(1 for kind in kinds if kind in MAISONS)
    centres = sum(1 for kind in kinds if kind == ProjectKind.CENTRE_DE_SANTE)
    return Count(maisons, centres, len(kinds) - maisons - centres)


@dataclass(frozen=True)
class Pending:
    pk: int
    nom: str
    kind: str
    commune: str
    commune_code: str
    longitude: float
    latitude: float
    valide_le: date


def visible(user: Any, niveau: str, code: str) -> list[Pending]:
    """The validated, not yet open projects of this territory that this user may see (none for a visitor)."""
    projects = _in(perms.visible_projects(user), niveau, code).select_related("commune_principale").order_by("nom", "pk")
    return [
        Pending(
            project.pk,
            project.nom,
            project.get_kind_display(),
            project.commune_principale.nom,
            project.commune_principale.code_insee,
            project.commune_principale.longitude,
            project.commune_principale.latitude,
            project.stage_since.date(),
        )
        for project in projects
    ]
