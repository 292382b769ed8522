"""Reading the official references: the DREES APL of a territory, the named structures, the practitioners.

OASIS's own model never reads these (it is compared with them), and this module never reads the model: the verdict
« sous-dense » that weighs both is ``oasis.verdicts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import F, Sum

from oasis.core.apl import weighted_mean_by_group
from oasis.references.enums import STRUCTURE_EQUIPEMENT, ReferenceKind, StructureCategory
from oasis.references.models import (
    FinessStructure,
    OfficialApl,
    OfficialAplUnit,
    ReferenceImport,
    RppsCount,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from oasis.territories.services import Territory

GP_SOUS_DENSE_THRESHOLD = 2.5
"""GP APL below which the DREES's studies count a commune « sous-dense »: the agreement of the estimate with the
official figures is measured at it (``references.agreement``). Verdicts follow ``oasis.verdicts``."""


def official_years(profession: str) -> list[int]:
    """Years of the official APL imported for a profession, newest first."""
    return list(
        OfficialAplUnit.objects.filter(profession=profession).order_by("-annee").values_list("annee", flat=True).distinct()
    )


@dataclass(frozen=True)
class OfficialAplSummary:
    """The official APL of a territory for one profession and year, with where it comes from."""

    profession: str
    annee: int
    apl: float | None
    apl_moins_65: float | None
    part_offre_plus_de_65_ans: float | None
    population: float
    communes: int
    unite: str
    source: str


def territory_official_apl(territory: Territory | None, profession: str, annee: int | None = None) -> OfficialAplSummary | None:
    """Standardised-population weighted mean of the official APL over the territory's communes (DREES's rule).

    The share of supply given by practitioners over 65 is (APL − APL of the 65 and under) / APL.
    """
    years = official_years(profession)
    if not years or (annee is not None and annee not in years):
        return None
    year = annee if annee is not None else years[0]
    rows = OfficialAplUnit.objects.filter(profession=profession, annee=year)
    if territory is not None:
        rows = rows.filter(commune__in=territory.units())
    values = np.array(list(rows.values_list("apl", "apl_moins_65", "pop_standardisee", "pop_totale")), dtype=float).reshape(-1, 4)
    if not len(values):
        return None
    apl, under_65 = values[:, 0], values[:, 1]
    weight, population = np.nan_to_num(values[:, 2]), np.nan_to_num(values[:, 3])
    mean = _weighted_mean(apl, weight)
    mean_65 = _weighted_mean(under_65, weight)
    reference = rows.select_related("reference").first()
    assert reference is not None
    source = reference.reference
    unite = str(source.parametres.get("unites", {}).get(f"{profession} {year}", ""))
    return OfficialAplSummary(
        profession=profession,
        annee=year,
        apl=mean,
        apl_moins_65=mean_65,
        part_offre_plus_de_65_ans=((mean - mean_65) / mean) if mean and mean_65 is not None else None,
        population=float(population.sum()),
        communes=len(values),
        unite=unite,
        source=f"DREES, APL {year} — {source.fichier}, importé le {source.imported_at:%d/%m/%Y}",
    )


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float | None:
    valid = ~np.isnan(values)
    if not valid.any():
        return None
    mean = weighted_mean_by_group(values[valid], weights[valid], np.zeros(int(valid.sum()), dtype=np.int64), 1)[0]
    return None if np.isnan(mean) else float(mean)


def official_unit_values(profession: str, annee: int, codes: list[str]) -> dict[str, tuple[float | None, float | None]]:
    """(APL, APL of the 65 and under) per current commune code, for the listed codes."""
    return {
        code: (apl, apl_65)
        for code, apl, apl_65 in OfficialAplUnit.objects.filter(
            profession=profession, annee=annee, commune_id__in=codes
        ).values_list("commune_id", "apl", "apl_moins_65")
    }


def published_rows(territory: Territory | None, profession: str, annee: int) -> QuerySet[OfficialApl]:
    """The official rows exactly as published, for the communes that lie in the territory today."""
    rows = OfficialApl.objects.filter(profession=profession, annee=annee).order_by("code_insee")
    if territory is not None:
        rows = rows.filter(commune__in=territory.units())
    return rows


def official_baseline(
    profession: str, changes: dict[str, tuple[float, float]]
) -> tuple[int | None, dict[str, tuple[float, float]]]:
    """A scenario from the official baseline: official APL before, official APL + the model's change after.

    ``changes`` maps a commune code to the model's (before, after); communes without an official value are left out.
    Returns the official year used (None when none is imported) and (official before, official after) per commune.
    """
    years = official_years(profession)
    if not years:
        return None, {}
    official = official_unit_values(profession, years[0], list(changes))
    return years[0], {
        code: (value, max(0.0, value + after - before))
        for code, (before, after) in changes.items()
        if (value := official.get(code, (None, None))[0]) is not None
    }


# --- Named structures (FINESS) ---------------------------------------------------------------------------------------


def latest_finess() -> ReferenceImport | None:
    return ReferenceImport.objects.latest_of(ReferenceKind.FINESS)


def finess_care_sites() -> tuple[set[str], str]:
    """Communes with a maison or centre de santé in the newest FINESS import (CPTS are not care sites), and its label."""
    reference = latest_finess()
    if reference is None:
        return set(), ""
    codes = FinessStructure.objects.filter(
        reference=reference, categorie__in=list(STRUCTURE_EQUIPEMENT), commune__isnull=False
    ).values_list("commune_id", flat=True)
    return set(codes), f"FINESS, {reference.millesime}"


def named_structures(territory: Territory | None) -> QuerySet[FinessStructure]:
    """Maisons, centres de santé and CPTS of the newest FINESS import, in the territory."""
    reference = latest_finess()
    rows = FinessStructure.objects.filter(reference=reference).select_related("commune")
    if territory is not None:
        rows = rows.filter(commune__in=territory.units())
    return rows.order_by("commune__nom", "nom")


# --- Practitioners of the Annuaire santé ---------------------------------------------------------------------------


def latest_rpps_import() -> ReferenceImport | None:
    return ReferenceImport.objects.latest_of(ReferenceKind.RPPS)


def rpps_counts(territory: Territory, mode: str = "L") -> dict[str, int]:
    """Practitioners per profession in the territory, in the newest Annuaire santé import (liberal by default)."""
    reference = latest_rpps_import()
    if reference is None:
        return {}
    rows = RppsCount.objects.filter(reference=reference, mode=mode, commune__in=territory.units())
    return {
        profession: total
        for profession, total in rows.values("profession").annotate(total=Sum("personnes")).values_list("profession", "total")
    }


# --- Map layers: official values per commune and département, named structures as points -------------------------


def official_map_layer(profession: str) -> dict[str, object] | None:
    """What the map says of the official APL shown beside the estimate: its year and source (None when not imported)."""
    years = official_years(profession)
    if not years:
        return None
    summary = territory_official_apl(None, profession, years[0])
    return {"annee": years[0], "source": summary.source if summary else "", "unite": summary.unite if summary else ""}


def official_by_departement(profession: str) -> dict[str, float | None]:
    """Newest official APL per département (standardised-population weighted mean of its communes), in one query."""
    years = official_years(profession)
    if not years:
        return {}
    rows = (
        OfficialAplUnit.objects.filter(profession=profession, annee=years[0], apl__isnull=False)
        .values("commune__departement_id")
        .annotate(weighted=Sum(F("apl") * F("pop_standardisee")), weight=Sum("pop_standardisee"))
        .values_list("commune__departement_id", "weighted", "weight")
    )
    return {code: (weighted / weight if weight else None) for code, weighted, weight in rows}


def official_by_commune(profession: str, departement: str) -> dict[str, dict[str, object]]:
    """Per commune of a département: the newest official APL (and of the 65 and under) for the profession."""
    years = official_years(profession)
    if not years:
        return {}
    return {
        code: {"apl_officielle": apl, "apl_officielle_moins_65": apl_65}
        for code, apl, apl_65 in OfficialAplUnit.objects.filter(
            profession=profession, annee=years[0], commune__departement_id=departement
        ).values_list("commune_id", "apl", "apl_moins_65")
    }


def structure_points(departement: str) -> list[dict[str, object]]:
    """Named structures of the newest FINESS import in a département, with their place (for the map)."""
    reference = latest_finess()
    if reference is None:
        return []
    return [
        {
            "nom": row.nom,
            "categorie": row.get_categorie_display(),
            "ouverture": row.date_ouverture.strftime("%d/%m/%Y") if row.date_ouverture else None,
            "finess": row.numero_finess,
            "point": [row.longitude, row.latitude],
        }
        for row in FinessStructure.objects.filter(
            reference=reference, commune__departement_id=departement, longitude__isnull=False
        )
    ]


def finess_series(niveau: str, code: str) -> tuple[list[tuple[date, int, int]], str]:
    """Maisons and centres de santé open at each 30 June and 31 December, from the register's opening dates.

    Returns (date, maisons, centres) from mid-2017 to the extraction date, and the source label. The register lists
    the structures open at extraction: closed ones are gone, so past counts are lower bounds.
    """
    reference = latest_finess()
    if reference is None or reference.date_reference is None:
        return [], ""
    rows = FinessStructure.objects.filter(
        reference=reference, categorie__in=list(STRUCTURE_EQUIPEMENT), date_ouverture__isnull=False
    )
    if niveau == "region":
        rows = rows.filter(commune__region_id=code)
    elif niveau == "departement":
        rows = rows.filter(commune__departement_id=code)
    openings = [(kind, opened) for kind, opened in rows.values_list("categorie", "date_ouverture") if opened is not None]
    points = []
    for year in range(2017, reference.date_reference.year + 1):
        for when in (date(year, 6, 30), date(year, 12, 31)):
            if when > reference.date_reference:
                break
            points.append(
                (
                    when,
                    sum(1 for kind, opened in openings if kind == StructureCategory.MAISON_DE_SANTE and opened <= when),
                    sum(1 for kind, opened in openings if kind == StructureCategory.CENTRE_DE_SANTE and opened <= when),
                )
            )
    return points, f"FINESS, {reference.millesime} (structures ouvertes à l'extraction, par date d'ouverture)"
