"""The FINESS importer: the real extract places its établissements; maisons, centres de santé and CPTS are kept, placed
and converted from Lambert-93 or the overseas systems to WGS84."""

from __future__ import annotations

import pytest

from oasis.core.geo import haversine_km
from oasis.datasets.errors import DataFileError
from oasis.references.importers import finess, finess_plus, run_import
from oasis.references.importers.common import NOT_FINITE, REPEATED_HEADER
from oasis.references.models import FinessStructure, ReferenceImport
from oasis.territories.models import Commune
from tests.references.conftest import FINESS_SAMPLE, finess_sample_with, finess_structure_line

pytestmark = pytest.mark.django_db

SAMPLE = FINESS_SAMPLE.read_text(encoding="utf-8")


def test_the_real_extract_places_its_etablissements(national):
    report = run_import("finess", FINESS_SAMPLE)
    lignes = report.reference.lignes
    assert lignes["etablissements"] == 14
    # 01451 Viriat and the Antilles, Guyane and Réunion communes resolve; Saint-Barthélemy and Saint-Martin
    # (97123, 97127 in FINESS) became collectivités outside the COG's communes, and the two 98x lines are Monaco/TOM.
    assert lignes["etablissements_places"] == 10
    assert lignes["retenues"] == 0
    assert report.reference.date_reference.isoformat() == "2026-05-12"


def test_maisons_and_centres_de_sante_are_named_placed_and_converted(national, tmp_path):
    added = [
        finess_structure_line("860000001", "603", "86", "140", "MSP de Lussac-les-Châteaux", "2019-09-02"),
        finess_structure_line("860000002", "124", "86", "194", "Centre de santé de Poitiers", "2021-01-04"),
        finess_structure_line("860000003", "604", "86", "066", "CPTS du Châtelleraudais", "2022-06-01"),
        # The Lambert-93 point of the real Fleyriat line, given to the MSP of Lussac for the test.
        "geolocalisation;860000001;870262.2;6571540.8;1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole);2026-05-04",
        "geolocalisation;860000002;497500.0;6614500.0;1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole);2026-05-04",
    ]
    report = run_import("finess", finess_sample_with(tmp_path, *added))
    structures = {s.numero_finess: s for s in FinessStructure.objects.filter(reference=report.reference)}
    assert set(structures) == {"860000001", "860000002", "860000003"}
    msp = structures["860000001"]
    assert (msp.nom, msp.categorie, msp.commune_id, msp.date_ouverture.isoformat()) == (
        "MSP DE LUSSAC-LES-CHÂTEAUX",
        "603",
        "86140",
        "2019-09-02",
    )
    # The real line's point is the Fleyriat hospital, in Viriat (01451): within 5 km of its town hall.
    viriat = Commune.objects.get(pk="01451")
    assert haversine_km(msp.longitude, msp.latitude, viriat.longitude, viriat.latitude) < 5
    poitiers = Commune.objects.get(pk="86194")
    cds = structures["860000002"]
    assert haversine_km(cds.longitude, cds.latitude, poitiers.longitude, poitiers.latitude) < 5
    assert structures["860000003"].longitude is None
    assert report.reference.lignes["sans_coordonnees"] == 1
    assert report.changes["ouvertes"] == sorted(f"{s.nom} ({n})" for n, s in structures.items())


def test_overseas_coordinates_use_their_own_system(national):
    longitude, latitude = finess.to_wgs84(657242.9, 1795384.4, 5490)  # the real Antilles line of the sample
    assert -62 < longitude < -60.5 and 15.5 < latitude < 16.6  # Guadeloupe


def test_latin1_files_are_read(national, write, tmp_path):
    emile = finess_structure_line("860000009", "603", "86", "194", "Maison de santé Émile", "2020-01-01")
    content = SAMPLE.replace("\ufffd", "é") + emile + "\n"
    path = tmp_path / "latin1.csv"
    path.write_bytes(content.encode("latin-1", errors="replace"))
    report = run_import("finess", path)
    assert FinessStructure.objects.get(reference=report.reference).nom == "MAISON DE SANTÉ ÉMILE"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("structureet;1;2\n", 1, finess.NOT_FINESS),
        ("finess;etalab;1;2026-05-12\nstructureet;1;2;3\n", 2, finess.WRONG_WIDTH),
        ("finess;etalab;1;2026-05-12\ngeolocalisation;1;x;y;EPSG:2154;2026-01-01\n", 2, finess.BAD_COORDINATES),
        ("finess;etalab;1;2026-05-12\ngeolocalisation;1;1;2;Lambert;2026-01-01\n", 2, finess.UNKNOWN_SYSTEM),
        # Two extracts pasted one after the other: which date is the vintage?
        ("finess;etalab;1;2026-05-12\ngeolocalisation;1;;;;\nfiness;etalab;1;2026-05-19\n", 3, REPEATED_HEADER),
        ("finess;etalab;1;2026-05-12\nfiness;etalab;1;2026-05-12\n", 2, REPEATED_HEADER),
        ("finess;etalab;1;2026-05-12\ngeolocalisation;1;;;;\nstructureet;" + "x" * 200_000 + "\n", 3, finess.BAD_LINE),
        ("finess;etalab;1;2026-05-12\ngeolocalisation;1;inf;2;EPSG:2154;2026-01-01\n", 2, f"{NOT_FINITE} dans « coordonnée X »"),
        ("finess;etalab;1;2026-05-12\ngeolocalisation;1;1;nan;EPSG:2154;2026-01-01\n", 2, f"{NOT_FINITE} dans « coordonnée Y »"),
    ],
)
def test_a_bad_extract_is_refused_and_nothing_is_written(national, write, content, line, reason):
    before = ReferenceImport.objects.count(), FinessStructure.objects.count()
    with pytest.raises(DataFileError) as error:
        run_import("finess", write("bad.csv", content))
    assert (error.value.line, error.value.reason.startswith(reason)) == (line, True)
    assert (ReferenceImport.objects.count(), FinessStructure.objects.count()) == before


def _ege(numero: str, categorie: str, commune: str, latitude: str, longitude: str, **info: str) -> dict:
    """An établissement in the layout of the FINESS+ schema (structure.json v1)."""
    return {
        "informationsGeneralesEGE": {"numFinessEt": numero, "denominationEge": f"Structure {numero}", **info},
        "etatObjet": {"code": "ACTIF"},
        "categorieEntiteGeographiqueExercice": {"code": categorie},
        "adresse": [
            {
                "numeroVoie": "2",
                "typeVoie": "RUE",
                "libelleVoie": "DU MARCHE",
                "cogCommune": commune,
                "codePostal": "86000",
                "ligneAcheminement": "86000 POITIERS",
                "coordonneesGeographique": {
                    "coordonneeX": "",
                    "coordonneeY": "",
                    "directionLatitude": latitude,
                    "directionLongitude": longitude,
                },
            }
        ],
        "roleEge": [],
    }


def test_the_finess_plus_export(national, tmp_path):
    import gzip
    import json

    poitiers = Commune.objects.get(pk="86194")
    lat, lon = f"{poitiers.latitude:.5f}", f"{poitiers.longitude:.5f}"
    structure = {
        "pmej": [
            {
                "informationsGeneralesPmej": {"numFinessPm": "860000100", "denominationPm": "SISA"},
                "ege": [
                    _ege("860000101", "603", "86194", lat, lon, dateOuverture="2023-05-02"),
                    _ege("860000102", "124", "86194", lon, lat, dateCreation="2024-01-15"),  # swapped in the data
                    _ege("860000103", "603", "86194", lat, lon, dateOuverture="2015-01-01", dateFermeture="2020-12-31"),
                    _ege("860000104", "355", "86194", lat, lon),
                ],
            }
        ],
        "gco": {},
        "gcc": {},
    }
    path = tmp_path / "finess_structures_20261101.json.gz"
    path.write_bytes(gzip.compress(json.dumps([structure]).encode()))
    report = run_import("finess", path)
    rows = {s.numero_finess: s for s in FinessStructure.objects.filter(reference=report.reference)}
    assert set(rows) == {"860000101", "860000102"}  # closed and other categories left out
    assert rows["860000101"].date_ouverture.isoformat() == "2023-05-02"
    assert rows["860000102"].latitude == pytest.approx(poitiers.latitude, abs=1e-4)  # swapped back
    assert report.reference.lignes["coordonnees_inversees"] == 1
    # Three établissements open (the closed one is not counted), all three placed in Poitiers.
    assert (report.reference.lignes["etablissements"], report.reference.lignes["etablissements_places"]) == (3, 3)
    assert report.reference.parametres["format"] == "FINESS+ (JSON)"
    assert report.reference.date_reference.isoformat() == "2026-11-01"


def _structure_at(longitude: float | None, latitude: float | None) -> dict:
    return {"longitude": longitude, "latitude": latitude}


POITIERS = (0.3404, 46.5802)  # longitude, latitude


@pytest.mark.parametrize(
    ("longitude", "latitude", "commune", "swapped"),
    [
        (None, 46.58, POITIERS, False),  # nothing to swap without both
        (0.34, None, POITIERS, False),
        (46.58, 0.34, POITIERS, True),  # the latitude given as longitude: the crossed pair is at Poitiers
        (0.34, 46.58, POITIERS, False),
        (10.0, 10.0, POITIERS, False),  # as far either way: kept as given
        (0.34, 90.0, None, False),  # a latitude at its bounds is possible
        (0.34, -90.0, None, False),
        (0.34, 90.0001, None, True),  # beyond them it cannot be a latitude
        (0.34, -90.0001, None, True),
        (0.34, 46.58, None, False),  # no commune point to compare with
        # A longitude beyond ±90 cannot be a latitude, however close the crossed pair would come over the pole.
        (90.5, 10.0, (10.0, 89.5), False),
        (-90.5, 10.0, (10.0, -89.5), False),
        (90.0, 10.0, (10.0, 89.9), True),  # at ±90 it can
        (-90.0, 10.0, (10.0, -89.9), True),
        (100.0, 10.0, (10.0, 80.0), False),
    ],
)
def test_a_pair_is_swapped_back_only_when_the_crossed_pair_lies_closer(longitude, latitude, commune, swapped):
    assert finess._swapped(_structure_at(longitude, latitude), commune) is swapped


def test_a_second_extract_reports_the_structures_opened_and_closed_since_the_first(national, tmp_path):
    lussac = finess_structure_line("860000001", "603", "86", "140", "MSP de Lussac", "2019-09-02")
    poitiers = finess_structure_line("860000002", "124", "86", "194", "Centre de santé de Poitiers", "2021-01-04")
    chatellerault = finess_structure_line("860000003", "603", "86", "066", "MSP de Châtellerault", "2026-03-01")
    (tmp_path / "mai").mkdir()
    (tmp_path / "juin").mkdir()
    run_import("finess", finess_sample_with(tmp_path / "mai", lussac, poitiers))
    report = run_import("finess", finess_sample_with(tmp_path / "juin", poitiers, chatellerault))
    assert report.changes == {"ouvertes": ["MSP DE CHÂTELLERAULT (860000003)"], "fermees": ["MSP DE LUSSAC (860000001)"]}


def _gzip_json(tmp_path, name: str, document: object) -> object:
    import gzip
    import json

    path = tmp_path / name
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    return path


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"pmej": 5}, f"{finess_plus.UNEXPECTED_SHAPE} : « pmej » devrait être une liste d'objets"),
        ({"pmej": [1, 2]}, f"{finess_plus.UNEXPECTED_SHAPE} : « pmej » devrait être une liste d'objets"),
        ([{"pmej": []}, "texte"], f"{finess_plus.UNEXPECTED_SHAPE} : « structures » devrait être une liste d'objets"),
        ({"pmej": [{"ege": {"a": 1}}]}, f"{finess_plus.UNEXPECTED_SHAPE} : « ege » devrait être une liste d'objets"),
        (
            {"pmej": [{"ege": [{"adresse": "2 rue du Marché"}]}]},
            f"{finess_plus.UNEXPECTED_SHAPE} : « adresse » devrait être une liste d'objets",
        ),
        (
            {"pmej": [{"ege": [{"informationsGeneralesEGE": ["860000101"]}]}]},
            f"{finess_plus.UNEXPECTED_SHAPE} : « informationsGeneralesEGE » devrait être un objet",
        ),
        (
            {"pmej": [{"ege": [{"categorieEntiteGeographiqueExercice": "603"}]}]},
            f"{finess_plus.UNEXPECTED_SHAPE} : « categorieEntiteGeographiqueExercice » devrait être un objet",
        ),
        (
            {"pmej": [{"ege": [{"adresse": [{"coordonneesGeographique": [46.5, 0.3]}]}]}]},
            f"{finess_plus.UNEXPECTED_SHAPE} : « coordonneesGeographique » devrait être un objet",
        ),
        (
            {"pmej": [{"ege": [{"adresse": [{"coordonneesGeographique": {"directionLatitude": "Infinity"}}]}]}]},
            f"{NOT_FINITE} dans « directionLatitude » : inf",
        ),
        (
            {"pmej": [{"ege": [{"adresse": [{"coordonneesGeographique": {"directionLongitude": "NaN"}}]}]}]},
            f"{NOT_FINITE} dans « directionLongitude » : nan",
        ),
    ],
)
def test_a_finess_plus_export_of_another_shape_is_refused(national, tmp_path, document, reason):
    before = ReferenceImport.objects.count(), FinessStructure.objects.count()
    path = _gzip_json(tmp_path, "garbage.json.gz", document)
    with pytest.raises(DataFileError) as error:
        run_import("finess", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), None, reason)
    assert (ReferenceImport.objects.count(), FinessStructure.objects.count()) == before


@pytest.mark.parametrize(
    "content",
    [
        b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4,  # a gzip header over bytes that do not inflate
        b"\x1f\x8b",  # a header cut short
        bytes(range(256)) * 4,  # no header at all: read as an etalab extract, which it is not
        b"",
    ],
)
def test_garbage_under_a_finess_name_is_refused(national, tmp_path, content):
    path = tmp_path / "garbage.json.gz"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as error:
        run_import("finess", path)
    assert error.value.path == str(path)
    assert error.value.reason.startswith(("archive gzip corrompue", finess.NOT_FINESS))
    assert not ReferenceImport.objects.filter(fichier=path.name).exists()
