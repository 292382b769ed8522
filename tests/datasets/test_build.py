"""Building the bundle from the raw sample: content, crosswalk rules, determinism."""

import csv
import gzip
import io
import json

import pytest

from oasis.datasets.build import build_bundle
from tests.conftest import RAW_SAMPLE


def rows(bundle, name):
    return list(csv.DictReader(io.StringIO(gzip.decompress((bundle / name).read_bytes()).decode())))


def test_build_is_deterministic(sample_bundle, tmp_path):
    again = tmp_path / "again"
    build_bundle(RAW_SAMPLE, again)
    assert (again / "manifest.json").read_bytes() == (sample_bundle / "manifest.json").read_bytes()
    for path in sample_bundle.glob("*.csv.gz"):
        assert gzip.decompress(path.read_bytes()) == gzip.decompress((again / path.name).read_bytes())


def test_poitiers_has_its_town_hall_point_and_zonages(sample_bundle):
    poitiers = next(row for row in rows(sample_bundle, "communes.csv.gz") if row["code_insee"] == "86194")
    assert poitiers["nom"] == "Poitiers"
    assert poitiers["epci"] == "200069854"
    assert poitiers["point_source"] == "mairie"
    assert poitiers["bassin_de_vie"] == "86194"
    assert poitiers["categorie_aav"] == "11"
    assert float(poitiers["pop_standardisee"]) > 80_000


def test_communes_restored_in_2025_take_their_parent_point(sample_bundle):
    communes = {row["code_insee"]: row for row in rows(sample_bundle, "communes.csv.gz")}
    assert communes["15031"]["point_source"] == "commune-mere:15141"
    assert communes["15031"]["latitude"] == communes["15141"]["latitude"]


def test_scission_of_2025_splits_by_population(sample_bundle):
    links = [
        row for row in rows(sample_bundle, "crosswalk.csv.gz") if row["millesime"] == "2024" and row["code_origine"] == "15141"
    ]
    assert {row["code_insee"] for row in links} == {"15141", "15031", "15035", "15047", "15171"}
    assert sum(float(row["ratio"]) for row in links) == pytest.approx(1.0, abs=1e-5)


def test_bassin_de_vie_follows_the_fusion_of_its_pole(sample_bundle):
    communes = {row["code_insee"]: row for row in rows(sample_bundle, "communes.csv.gz")}
    bassins = {row["code"] for row in rows(sample_bundle, "bassins_de_vie.csv.gz")}
    assert communes["49126"]["bassin_de_vie"] == "49126"
    assert "49126" in bassins and "49069" not in bassins


def test_bpe_counts_are_preserved_through_the_crosswalk(sample_bundle):
    raw = list(csv.DictReader(io.StringIO((RAW_SAMPLE / "insee-bpe/bpe_sante_communes_2018_2019.csv").read_text())))
    built = rows(sample_bundle, "offre_bpe.csv.gz")
    for year in ("2018", "2019"):
        for typequ, slug in (("D201", "generaliste"), ("D113", "maison-de-sante"), ("D232", "infirmier")):
            expected = sum(int(r["nb"]) for r in raw if r["annee"] == year and r["typequ"] == typequ)
            actual = sum(int(r["nombre"]) for r in built if r["millesime"] == year and r["equipement"] == slug)
            assert actual == expected, (year, typequ)


def test_paris_supply_sits_on_arrondissements(sample_bundle):
    built = rows(sample_bundle, "offre_bpe.csv.gz")
    assert not [r for r in built if r["code_insee"] == "75056"]
    assert [r for r in built if r["code_insee"] == "75101"]


def test_manifest_cites_every_dataset(sample_bundle):
    manifest = json.loads((sample_bundle / "manifest.json").read_text())
    keys = {entry["key"] for entry in manifest["datasets"]}
    assert {"cog", "bpe", "pop_standardisee", "barometre", "cnam", "passage"} <= keys
    assert all(entry["millesime"] and entry["licence"] for entry in manifest["datasets"])
