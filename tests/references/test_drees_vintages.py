"""The DREES APL vintages: every reader takes the newest year imported for the profession; an older year is history
and never acts once a newer one is there, and acts again when the newer import is withdrawn (deleted).

The vintages are written here row by row (nurses, three communes of the Vienne) and each figure is worked out by hand.
"""

from __future__ import annotations

import pytest

from oasis.references.enums import ReferenceKind
from oasis.references.models import OfficialAplUnit, ReferenceImport
from oasis.references.services import (
    official_baseline,
    official_by_commune,
    official_by_departement,
    official_map_layer,
    official_unit_values,
    official_years,
    territory_official_apl,
)
from oasis.territories.services import get_territory

pytestmark = pytest.mark.django_db
ANTRAN, LOUDUN, POITIERS = "86007", "86137", "86194"
NURSE = "infirmier"


def vintage(year: int, rows: dict[str, tuple[float | None, float | None, float | None, float | None]]) -> ReferenceImport:
    """An import of the nurses' APL of ``year``: per commune (APL, APL of the 65 and under, standardised, total pop.)."""
    reference = ReferenceImport.objects.create(
        kind=ReferenceKind.DREES_APL,
        fichier=f"apl_{year}.xlsx",
        sha256=str(year) * 16,
        source="DREES",
        millesime=str(year),
        parametres={"unites": {f"{NURSE} {year}": f"ETP pour 100 000 habitants ({year})"}},
    )
    for code, (apl, under_65, standardised, total) in rows.items():
        OfficialAplUnit.objects.create(
            reference=reference,
            profession=NURSE,
            annee=year,
            commune_id=code,
            apl=apl,
            apl_moins_65=under_65,
            pop_standardisee=standardised,
            pop_totale=total,
        )
    return reference


@pytest.fixture
def vintages(national):
    OfficialAplUnit.objects.filter(profession=NURSE).delete()
    older = vintage(2021, {LOUDUN: (10.0, 8.0, 100.0, 110.0), ANTRAN: (20.0, 18.0, 300.0, 290.0)})
    # Imported after 2021 but listed first: the year decides, not the order of import.
    newer = vintage(2023, {LOUDUN: (30.0, 24.0, 100.0, 100.0), POITIERS: (50.0, None, 100.0, 100.0)})
    return older, newer


def test_nothing_imported(national):
    OfficialAplUnit.objects.filter(profession=NURSE).delete()
    assert official_years(NURSE) == []
    assert territory_official_apl(None, NURSE) is None
    assert official_baseline(NURSE, {LOUDUN: (1.0, 2.0)}) == (None, {})
    assert official_map_layer(NURSE) is None
    assert official_by_departement(NURSE) == {}
    assert official_by_commune(NURSE, "86") == {}


def test_the_years_newest_first_once_each(vintages):
    assert official_years(NURSE) == [2023, 2021]
    vintage(2022, {LOUDUN: (1.0, 1.0, 1.0, 1.0)})
    assert official_years(NURSE) == [2023, 2022, 2021]


def test_the_newest_vintage_is_read_by_default(vintages):
    _older, newer = vintages
    summary = territory_official_apl(None, NURSE)
    assert summary is not None
    # APL (30×100 + 50×100) / 200; of the 65 and under, Poitiers has none: Loudun's 24 alone.
    assert (summary.annee, summary.apl, summary.apl_moins_65) == (2023, 40.0, 24.0)
    assert summary.part_offre_plus_de_65_ans == pytest.approx((40.0 - 24.0) / 40.0)
    assert (summary.population, summary.communes) == (200.0, 2)
    assert summary.unite == "ETP pour 100 000 habitants (2023)"
    assert summary.source == f"DREES, APL 2023 — apl_2023.xlsx, importé le {newer.imported_at:%d/%m/%Y}"
    assert summary.profession == NURSE
    assert territory_official_apl(get_territory("departement", "86"), NURSE) == summary
    assert territory_official_apl(get_territory("departement", "37"), NURSE) is None


def test_an_older_vintage_asked_by_its_year(vintages):
    summary = territory_official_apl(None, NURSE, 2021)
    assert summary is not None
    assert summary.annee == 2021
    assert summary.apl == pytest.approx((10 * 100 + 20 * 300) / 400)
    assert summary.apl_moins_65 == pytest.approx((8 * 100 + 18 * 300) / 400)
    assert (summary.population, summary.communes) == (400.0, 2)
    assert summary.unite == "ETP pour 100 000 habitants (2021)"
    assert territory_official_apl(None, NURSE, 2022) is None  # not imported


def test_the_readers_of_the_newest_vintage(vintages):
    assert official_by_commune(NURSE, "86") == {
        LOUDUN: {"apl_officielle": 30.0, "apl_officielle_moins_65": 24.0},
        POITIERS: {"apl_officielle": 50.0, "apl_officielle_moins_65": None},
    }
    assert official_by_commune(NURSE, "37") == {}
    assert official_by_departement(NURSE) == {"86": 40.0}
    assert official_map_layer(NURSE) == {
        "annee": 2023,
        "source": territory_official_apl(None, NURSE).source,  # type: ignore[union-attr]
        "unite": "ETP pour 100 000 habitants (2023)",
    }
    assert official_unit_values(NURSE, 2021, [LOUDUN, POITIERS]) == {LOUDUN: (10.0, 8.0)}


def test_a_simulation_starts_from_the_newest_vintage(vintages):
    # Antran is only in 2021 (history): left out. Poitiers loses more than its official APL: floored at zero.
    year, values = official_baseline(NURSE, {LOUDUN: (5.0, 6.5), ANTRAN: (5.0, 7.0), POITIERS: (80.0, 10.0)})
    assert year == 2023
    assert values == {LOUDUN: (30.0, 31.5), POITIERS: (50.0, 0.0)}
    assert official_baseline(NURSE, {POITIERS: (10.0, 5.0)}) == (2023, {POITIERS: (50.0, 45.0)})


def test_the_older_vintage_acts_again_once_the_newer_is_withdrawn(vintages):
    _older, newer = vintages
    newer.delete()
    assert official_years(NURSE) == [2021]
    assert territory_official_apl(None, NURSE).annee == 2021  # type: ignore[union-attr]
    assert official_by_commune(NURSE, "86") == {
        LOUDUN: {"apl_officielle": 10.0, "apl_officielle_moins_65": 8.0},
        ANTRAN: {"apl_officielle": 20.0, "apl_officielle_moins_65": 18.0},
    }
    assert official_by_departement(NURSE)["86"] == pytest.approx(17.5)
    assert official_baseline(NURSE, {ANTRAN: (1.0, 2.0)}) == (2021, {ANTRAN: (20.0, 21.0)})


def test_figures_without_weights_or_values(national):
    OfficialAplUnit.objects.filter(profession=NURSE).delete()
    vintage(2023, {LOUDUN: (30.0, None, None, None), POITIERS: (None, None, None, 100.0)})
    summary = territory_official_apl(None, NURSE)
    assert summary is not None
    # No standardised population: no weight, no mean; no APL of the 65 and under: no share of the over 65.
    assert (summary.apl, summary.apl_moins_65, summary.part_offre_plus_de_65_ans) == (None, None, None)
    assert (summary.population, summary.communes) == (100.0, 2)
    # A département whose weights are all missing has no mean.
    assert official_by_departement(NURSE) == {"86": None}


def test_no_share_of_the_over_65_when_the_apl_is_zero(national):
    OfficialAplUnit.objects.filter(profession=NURSE).delete()
    vintage(2023, {LOUDUN: (0.0, 0.0, 100.0, 100.0)})
    summary = territory_official_apl(None, NURSE)
    assert (summary.apl, summary.apl_moins_65, summary.part_offre_plus_de_65_ans) == (0.0, 0.0, None)  # type: ignore[union-attr]
