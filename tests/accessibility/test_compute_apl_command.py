"""``oasis apl`` (compute_apl): the APL as CSV with its provenance, as GeoJSON, for every commune, aggregated, for
every profession at once; bad options refused by name."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from oasis.cli import translate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_oasis_apl_is_compute_apl():
    assert translate(["apl", "--profession", "generaliste"]) == ["compute_apl", "--profession", "generaliste"]


def test_apl_csv_for_a_departement(tmp_path):
    output = tmp_path / "apl.csv"
    out = io.StringIO()
    call_command("compute_apl", profession="generaliste", variante="moins-65", territoire="dep:86", output=output, stdout=out)
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert list(rows[0]) == ["code_insee", "apl", "pop_totale", "pop_standardisee", "sous_dense_estimation"]
    assert len(rows) == 265
    assert {row["sous_dense_estimation"] for row in rows} <= {"0", "1"}
    meta = json.loads((tmp_path / "apl.csv.meta.json").read_text())
    assert meta["profession"] == "generaliste" and meta["entrees"]["offre"]["source"] == "bpe"
    assert meta["territoire"]["communes"] == 265
    assert "Vienne" in out.getvalue()


def test_apl_geojson_for_an_epci(tmp_path):
    output = tmp_path / "apl.geojson"
    call_command(
        "compute_apl", profession="infirmier", territoire="epci:200069854", output=output, format="geojson", stdout=io.StringIO()
    )
    collection = json.loads(output.read_text())
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 40
    assert collection["oasis"]["unite"] == "ETP pour 100 000 habitants"
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["classe"] in range(5)


def test_apl_all_communes_to_standard_output():
    out = io.StringIO()
    call_command("compute_apl", profession="pharmacie", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + 34_917  # every unit; Mayotte's without a value


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"territoire": "dep:999"}, "Département inconnu"),
        ({"territoire": "canton:8601"}, "écrire com:CODE"),
        ({"distancier": "/nulle/part.csv"}, "distancier introuvable"),
        ({"osrm": "pas-une-url"}, "Adresse du serveur OSRM invalide"),
    ],
)
def test_apl_errors(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_apl", profession="generaliste", stdout=io.StringIO(), **options)


def test_apl_aggregated_by_bassin_de_vie(tmp_path):
    output = tmp_path / "bv.csv"
    call_command("compute_apl", profession="generaliste", par="bassin_de_vie", output=output, stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert list(rows[0]) == ["code", "apl_moyen", "population", "pop_sous_dotee"]
    assert len(rows) > 1600


def test_all_professions_in_one_command(tmp_path):
    from oasis.supply.enums import PROFESSIONS

    folder = tmp_path / "apl"
    out = io.StringIO()
    call_command("compute_apl", profession="toutes", territoire="dep:86", output=folder, stdout=out)
    written = sorted(p.name for p in folder.glob("apl-*.csv"))
    assert written == sorted(f"apl-{p.value}.csv" for p in PROFESSIONS)
    alone = tmp_path / "generaliste.csv"
    call_command("compute_apl", profession="generaliste", territoire="dep:86", output=alone, stdout=io.StringIO())
    assert (folder / "apl-generaliste.csv").read_text() == alone.read_text()
    assert out.getvalue().count("265 communes écrites") == len(PROFESSIONS)
    with pytest.raises(CommandError, match="donnez un dossier avec --output"):
        call_command("compute_apl", profession="toutes", stdout=io.StringIO())
    with pytest.raises(CommandError, match="une profession à la fois"):
        call_command("compute_apl", profession="toutes", source="officielle", output=folder, stdout=io.StringIO())
