"""The follow-up dashboard: counts by stage, time spent per stage, overdue actions, the map, exports."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from oasis import xlsxfiles
from oasis.projects.enums import BOARD_ORDER, Stage
from oasis.projects.models import Project, ProjectTransition

EXPORT_COLUMNS = (
    "id",
    "nom",
    "type",
    "porteur",
    "commune",
    "code_insee",
    "departement",
    "etape",
    "depuis",
    "prochaine_action",
    "echeance",
    "en_retard",
    "cout_total",
    "financements_demandes",
    "financements_accordes",
)


@dataclass
class StageTime:
    stage: str
    label: str
    projects: int
    median_days: float
    max_days: float


def stage_times(projects: QuerySet[Project]) -> list[StageTime]:
    """Days spent in each stage over the given projects (each visit of a stage counts; the current one up to now)."""
    now = timezone.now()
    spans: dict[str, list[float]] = {}
    visitors: dict[str, set[int]] = {}
    transitions = ProjectTransition.objects.filter(project__in=projects).order_by("project_id", "at", "pk")
    previous: ProjectTransition | None = None
    for transition in [*transitions, None]:
        if previous is not None:
            same_project = transition is not None and transition.project_id == previous.project_id
            end = transition.at if same_project and transition is not None else now
            spans.setdefault(previous.to_stage, []).append((end - previous.at).total_seconds() / 86_400)
            visitors.setdefault(previous.to_stage, set()).add(previous.project_id)
        previous = transition
    return [
        StageTime(stage, Stage(stage).label, len(visitors[stage]), statistics.median(spans[stage]), max(spans[stage]))
        for stage in BOARD_ORDER
        if stage in spans
    ]


def overdue(projects: QuerySet[Project], today: date | None = None) -> list[Project]:
    today = today or date.today()
    return list(projects.filter(next_action_due__lt=today).select_related("commune_principale").order_by("next_action_due"))


def due_soon(projects: QuerySet[Project], days: int = 14, today: date | None = None) -> list[Project]:
    today = today or date.today()
    return list(
        projects.filter(next_action_due__gte=today, next_action_due__lte=today + timedelta(days=days))
        .select_related("commune_principale")
        .order_by("next_action_due")
    )


def stage_counts(projects: QuerySet[Project]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for stage in projects.values_list("stage", flat=True):
        counts[stage] = counts.get(stage, 0) + 1
    return [(stage, Stage(stage).label, counts[stage]) for stage in BOARD_ORDER if stage in counts]


def geojson(projects: QuerySet[Project]) -> dict[str, Any]:
    """One point per project at its commune's reference point (WGS84), with what the map's popup shows."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(p.commune_principale.longitude, 5), round(p.commune_principale.latitude, 5)],
                },
                "properties": {
                    "id": p.pk,
                    "nom": p.nom,
                    "commune": p.commune_principale.nom,
                    "code_insee": p.commune_principale_id,
                    "type": p.get_kind_display(),
                    "etape": p.stage,
                    "etape_libelle": p.get_stage_display(),
                    "en_retard": p.overdue,
                },
            }
            for p in projects.select_related("commune_principale")
        ],
    }


def export_rows(projects: QuerySet[Project]) -> list[list[Any]]:
    from oasis.projects.funding import summarise

    rows = []
    for p in projects.select_related("commune_principale").prefetch_related("funding__tool"):
        plan = summarise(p, list(p.funding.all()))
        rows.append(
            [
                p.pk,
                p.nom,
                p.get_kind_display(),
                p.carrier_name,
                p.commune_principale.nom,
                p.commune_principale_id,
                p.departement_id,
                p.get_stage_display(),
                p.stage_since.date(),
                p.next_action,
                p.next_action_due,
                p.overdue,
                p.cout_total,
                plan.requested,
                plan.granted,
            ]
        )
    return rows


def xlsx(projects: QuerySet[Project]) -> bytes:
    """The projects and their funding lines as an Excel workbook (two sheets)."""
    from openpyxl import Workbook

    from oasis.projects.models import FundingLine

    book = Workbook()
    sheet = book.active
    sheet.title = "Projets"
    sheet.append(list(EXPORT_COLUMNS))
    for row in export_rows(projects):
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    lines = book.create_sheet("Financements")
    lines.append(
        [
            "projet_id",
            "projet",
            "outil",
            "financeur",
            "objet",
            "demande",
            "demande_le",
            "accorde",
            "accorde_le",
            "verse",
            "verse_le",
        ]
    )
    for line in FundingLine.objects.filter(project__in=projects).select_related("project", "tool").order_by("project_id", "pk"):
        lines.append(
            [
                line.project_id,
                line.project.nom,
                line.tool.nom,
                line.tool.financeur,
                line.objet,
                float(line.demande),
                line.demande_le,
                None if line.accorde is None else float(line.accorde),
                line.accorde_le,
                None if line.verse is None else float(line.verse),
                line.verse_le,
            ]
        )
    return xlsxfiles.workbook_bytes(book)
