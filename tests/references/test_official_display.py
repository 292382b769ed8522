"""Official figures beside the estimate: the API and CLI serve them as published, pages and exports show both."""

from __future__ import annotations

from functools import cache

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.csvread import french_number, french_rows
from tests.references.conftest import SHIPPED_WORKBOOK

pytestmark = pytest.mark.django_db


@cache
def _vienne_as_published() -> dict[str, tuple]:
    book = load_workbook(SHIPPED_WORKBOOK, read_only=True)
    try:
        rows = book["APL 2022"].iter_rows(min_row=11, values_only=True)
        return {row[0]: tuple(row[2:6]) for row in rows if row[0] and str(row[0]).startswith("86")}
    finally:
        book.close()


def test_the_api_serves_the_official_apl_exactly_as_published(national, client):
    response = client.get(
        "/api/apl", {"profession": "generaliste", "territoire": "dep:86", "source": "officielle", "annee": 2022}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["annee"]) == ("officielle", 2022)
    served = {
        row["code_insee"]: (row["apl"], row["apl_moins_65"], row["pop_standardisee"], row["pop_totale"])
        for row in body["communes"]
    }
    assert served == _vienne_as_published()  # the same numbers, not merely close
    assert "DREES, APL 2022" in body["provenance"]


def test_without_source_the_api_keeps_the_model(national, client):
    body = client.get("/api/apl", {"profession": "generaliste", "territoire": "com:86140"}).json()
    assert "calcul" in body and body["communes"][0]["apl"] == pytest.approx(3.48, abs=0.005)  # road model of OASIS 2023.2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"source": "drees"}, "Source inconnue"),
        ({"source": "officielle", "annee": 2019}, "APL officielle 2019 non importée"),
        ({"source": "officielle", "profession": "orthophoniste"}, "Aucune APL officielle importée"),
    ],
)
def test_what_the_api_cannot_serve_is_said(national, client, params, message):
    response = client.get("/api/apl", {"profession": "generaliste", **params})
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_cli_writes_the_published_values(national, tmp_path):
    output = tmp_path / "officielle.csv"
    call_command("compute_apl", profession="generaliste", source="officielle", territoire="dep:86", output=output, stdout=None)
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code_insee,nom,apl,apl_moins_65,pop_standardisee,pop_totale"
    published = _vienne_as_published()
    assert len(lines) - 1 == len(published)
    _code, _nom, apl, under_65, _std, total = next(line for line in lines if line.startswith("86140,")).split(",")
    assert (float(apl), float(under_65), int(total)) == (published["86140"][0], published["86140"][1], published["86140"][3])
    assert (tmp_path / "officielle.csv.meta.json").exists()


def test_the_diagnosis_shows_the_official_apl_beside_the_estimate(national, client):
    published = _vienne_as_published()
    expected = sum(apl * std for apl, _u, std, _t in published.values()) / sum(std for _a, _u, std, _t in published.values())
    content = client.get("/territoires/departement/86/etat-des-lieux.csv").content
    csv_text = content.decode("utf-8-sig")
    row = next(row for row in french_rows(content) if row["libelle"] == "Médecins généralistes : APL officielle 2022")
    assert french_number(row["valeur"]) == pytest.approx(expected, abs=0.0005)
    assert "Médecins généralistes : APL estimée (OASIS)" in csv_text
    page = client.get("/territoires/departement/86/etat-des-lieux/").content.decode()
    assert "APL officielle 2022" in page and "estimation OASIS" in page


def test_the_territory_page_shows_both(national, client):
    page = client.get("/territoires/commune/86140/").content.decode()
    assert "APL officielle 2022" in page
    assert "3,37" in page  # Lussac-les-Châteaux, as published
    assert "estimation OASIS" in page and "3,48" in page


def test_a_simulation_starts_from_the_official_baseline(national, client):
    body = client.get("/api/apl/simulation", {"profession": "generaliste", "ajout": "86140:2"}).json()
    assert body["base_officielle"] == "APL officielle 2022 (DREES) + variation calculée par le modèle d'OASIS"
    lussac = next(row for row in body["communes"] if row["code_insee"] == "86140")
    assert lussac["apl_officielle_avant"] == pytest.approx(_vienne_as_published()["86140"][0])
    model_change = lussac["apl_apres"] - lussac["apl_avant"]
    assert model_change > 0
    assert lussac["apl_officielle_apres"] - lussac["apl_officielle_avant"] == pytest.approx(model_change)
