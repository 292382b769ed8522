"""What a FINESS import records, field by field: each structure's commune (an old code placed where the largest share
of it went), the swapped pairs put back, the counts of the import record, its vintage, parameters and duration, the
progress it reports, and a direct call that writes unless asked a dry run."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from oasis.references.importers import finess
from oasis.references.models import FinessStructure, ReferenceImport
from oasis.territories.models import CommuneCrosswalk
from tests.references.conftest import finess_structure_line

pytestmark = pytest.mark.django_db

STRUCTURES = [
    finess_structure_line("860000001", "603", "86", "140", "MSP de Lussac", "2019-09-02"),
    finess_structure_line("860000002", "603", "86", "194", "MSP de Poitiers", "2020-01-06"),
    finess_structure_line("860000003", "124", "99", "903", "Centre de santé ancien code", "2021-01-04"),
    finess_structure_line("860000004", "604", "86", "999", "CPTS commune inconnue", "2022-06-01"),
    finess_structure_line("860000005", "603", "86", "998", "MSP commune inconnue", "2023-02-01"),
    finess_structure_line("860000006", "355", "86", "194", "Centre hospitalier", "1990-01-01"),
    # Longitude and latitude given the wrong way round, in degrees (WGS84).
    "geolocalisation;860000001;46.4033;0.7253;1,ATLASANTE,96,BAN,EPSG:4326 WGS 84;2026-05-04",
    "geolocalisation;860000002;46.5802;0.3404;1,ATLASANTE,96,BAN,EPSG:4326 WGS 84;2026-05-04",
    "structurej;860000000;ASSOCIATION",
]


def _extract(folder: Path, date: str = "2026-05-12") -> Path:
    # 99903 was split: three quarters into Lussac (86140), a quarter into Montmorillon (86165).
    for commune, ratio in (("86140", 0.75), ("86165", 0.25)):
        CommuneCrosswalk.objects.get_or_create(millesime=2023, code_origine="99903", commune_id=commune, ratio=ratio)
    path = folder / "etalab_cs1100507.csv"
    path.write_text("\n".join([f"finess;etalab;111;{date}", *STRUCTURES]) + "\n", encoding="utf-8")
    return path


def test_each_structure_is_placed_and_its_swapped_pair_put_back(national, tmp_path):
    finess.import_finess(_extract(tmp_path))
    rows = FinessStructure.objects.order_by("numero_finess").values_list("numero_finess", "commune_id", "longitude", "latitude")
    assert list(rows) == [
        ("860000001", "86140", 0.7253, 46.4033),
        ("860000002", "86194", 0.3404, 46.5802),
        ("860000003", "86140", None, None),
        ("860000004", None, None, None),
        ("860000005", None, None, None),
    ]


def test_the_import_record_field_by_field(national, tmp_path):
    path = _extract(tmp_path)
    before = time.perf_counter()
    report = finess.import_finess(path)
    elapsed = time.perf_counter() - before
    reference = ReferenceImport.objects.get(kind="finess")
    assert reference == report.reference
    assert (reference.kind, reference.fichier, reference.source) == ("finess", path.name, finess.SOURCE)
    assert (reference.millesime, reference.date_reference.isoformat()) == ("extraction du 12/05/2026", "2026-05-12")
    assert reference.lignes == {
        "etablissements": 6,
        "lignes_autres": 1,
        "etablissements_places": 4,
        "commune_inconnue": 2,
        "coordonnees_inversees": 2,
        "sans_coordonnees": 3,
        "retenues": 5,
        "par_categorie": {"603": 3, "124": 1, "604": 1},
    }
    assert reference.parametres == {"categories": sorted(finess.KEPT), "format": "extraction etalab (CSV)"}
    assert 0 <= reference.duration_seconds <= elapsed


def test_an_undated_extract_says_so(national, tmp_path):
    report = finess.import_finess(_extract(tmp_path, date=""))
    assert (report.reference.millesime, report.reference.date_reference) == ("extraction non datée", None)


@pytest.mark.parametrize("dry_run", [True, False])
def test_progress_advances_once_per_stage(national, tmp_path, dry_run):
    steps: list[int] = []
    finess.import_finess(_extract(tmp_path), dry_run=dry_run, progress=steps.append)
    assert steps == [1] * finess.STAGES


def test_a_direct_call_writes_unless_asked_a_dry_run(national, tmp_path):
    path = _extract(tmp_path)
    finess.import_finess(path, dry_run=True)
    assert not FinessStructure.objects.exists()
    finess.import_finess(path)
    assert FinessStructure.objects.count() == 5
