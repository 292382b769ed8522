"""The recruitment pipeline in figures: by stage, profession and territory; installations per year; what falls due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from oasis.recruitment.enums import PIPELINE_ORDER, PipelineStage, Profession
from oasis.recruitment.models import AidAgreement, AidPayment, Candidate, Placement


@dataclass
class PipelineTable:
    stages: list[tuple[str, str]]
    rows: list[tuple[str, list[int], int]]  # profession label, count per stage, total
    totals: list[int]


def pipeline(candidates: QuerySet[Candidate], territory: Any = None) -> PipelineTable:
    """Placements by stage and profession (each placement counted at its current stage), optionally in a territory."""
    placements = Placement.objects.filter(candidate__in=candidates)
    if territory is not None:
        placements = placements.filter(commune__in=territory.units())
    counts: dict[tuple[str, str], int] = {}
    for row in placements.values("candidate__profession", "stage").annotate(n=Count("pk")):
        counts[(row["candidate__profession"], row["stage"])] = row["n"]
    professions = sorted({profession for profession, _ in counts}, key=lambda p: list(Profession.values).index(p))
    rows = []
    for profession in professions:
        per_stage = [counts.get((profession, stage), 0) for stage in PIPELINE_ORDER]
        rows.append((Profession(profession).label, per_stage, sum(per_stage)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(PIPELINE_ORDER))]
    return PipelineTable([(s, PipelineStage(s).label) for s in PIPELINE_ORDER], rows, totals)


def installations_per_year(candidates: QuerySet[Candidate]) -> list[tuple[int, int, int]]:
    """(year, installations recorded in the pipeline, aid commitments fulfilled by an installation that year)."""
    placed = dict(
        Placement.objects.filter(candidate__in=candidates, stage=PipelineStage.INSTALLE, installe_le__isnull=False)
        .annotate(year=ExtractYear("installe_le"))
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    fulfilled = dict(
        AidAgreement.objects.filter(candidate__in=candidates, installe_le__isnull=False)
        .annotate(year=ExtractYear("installe_le"))
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    return [(year, placed.get(year, 0), fulfilled.get(year, 0)) for year in sorted(set(placed) | set(fulfilled), reverse=True)]


def payments_due(candidates: QuerySet[Candidate], days: int = 31, today: date | None = None) -> list[AidPayment]:
    today = today or date.today()
    return list(
        AidPayment.objects.filter(
            agreement__candidate__in=candidates,
            agreement__rupture_le__isnull=True,
            verse_le__isnull=True,
            echeance__lte=today + timedelta(days=days),
        )
        .select_related("agreement__candidate", "agreement__scheme")
        .order_by("echeance")
    )
