"""The file of each project examined in a session: its territory's diagnosis, team, conformity, funding and avis."""

from __future__ import annotations

from dataclasses import dataclass

from oasis.committees.models import AgendaItem
from oasis.diagnostics.services import Diagnosis, cached_diagnosis
from oasis.projects.conformity import Conformity, evaluate
from oasis.projects.enums import ProjetDeSanteStatus
from oasis.projects.funding import PlanSummary, summarise
from oasis.projects.models import Comment, Project, ProjetDeSante, TeamMember
from oasis.territories.services import commune_set


@dataclass
class ProjectFile:
    item: AgendaItem
    project: Project
    diagnosis: Diagnosis
    team: list[TeamMember]
    conformity: Conformity | None
    funding: PlanSummary
    opinions: list[Comment]
    projet_de_sante: ProjetDeSante | None


def project_file(item: AgendaItem) -> ProjectFile:
    project = item.project
    return ProjectFile(
        item=item,
        project=project,
        diagnosis=cached_diagnosis(commune_set(project.territory_codes())),
        team=list(project.team.all()),
        conformity=evaluate(project),
        funding=summarise(project),
        opinions=list(project.comments.select_related("author")),
        projet_de_sante=project.projet_de_sante.filter(status=ProjetDeSanteStatus.SOUMIS).order_by("-numero").first(),
    )
