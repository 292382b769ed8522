"""Any set of communes as a territory (a project's, a bassin de vie, a CPTS): resolved with clear refusals, its
figures summed over its communes (checked against the rows themselves), its état des lieux on the web, in the CLI
and from the project's page, and its map."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from oasis.diagnostics.services import build_diagnosis
from oasis.supply.models import SupplyCount
from oasis.territories.models import Commune
from oasis.territories.services import (
    MAX_SET_COMMUNES,
    SET_EMPTY,
    SET_TOO_LARGE,
    SET_UNKNOWN,
    TerritoryNotFound,
    commune_set,
    demography,
    parents,
    parse_territory_ref,
)
from tests.projects.conftest import cast, make_user, project  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

CHAUVIGNY, POITIERS, LUSSAC, ROCHEFORT, PARIS = "86070", "86194", "86140", "17299", "75056"


def test_a_set_is_its_communes_whatever_the_order_and_duplicates():
    territory = parse_territory_ref(f"set:{POITIERS}, {CHAUVIGNY},{POITIERS},")
    assert territory.niveau == "set" and territory.codes == (CHAUVIGNY, POITIERS)
    assert territory.code == f"{CHAUVIGNY},{POITIERS}" and territory.nom == "Chauvigny et Poitiers"
    assert territory.file_stem == "ensemble-2-communes" and territory.label == "Ensemble de communes"
    assert sorted(territory.communes().values_list("code_insee", flat=True)) == [CHAUVIGNY, POITIERS]
    expected = Commune.objects.filter(code_insee__in=[CHAUVIGNY, POITIERS]).aggregate(total=Sum("population"))["total"]
    assert demography(territory).population == expected and demography(territory).nombre_communes == 2


def test_a_long_set_is_named_by_its_first_communes():
    assert commune_set([LUSSAC, CHAUVIGNY, POITIERS]).nom == "Chauvigny, Lussac-les-Châteaux et Poitiers"
    four = list(
        Commune.objects.communes().filter(departement_id="86").order_by("code_insee").values_list("code_insee", flat=True)[:4]
    )
    assert commune_set(four).nom.endswith("et 2 autres communes")


def test_paris_as_a_set_member_brings_its_arrondissements():
    assert commune_set([PARIS]).units().count() == 20


def test_refusals_name_what_is_wrong():
    with pytest.raises(TerritoryNotFound) as empty:
        commune_set([" ", ""])
    assert str(empty.value) == SET_EMPTY
    with pytest.raises(TerritoryNotFound) as unknown:
        commune_set([POITIERS, "99999", "8619"])
    assert str(unknown.value) == SET_UNKNOWN.format(codes="8619, 99999")
    with pytest.raises(TerritoryNotFound) as large:
        commune_set([f"{n:05d}" for n in range(MAX_SET_COMMUNES + 1)])
    assert str(large.value) == SET_TOO_LARGE.format(count=MAX_SET_COMMUNES + 1, limit=MAX_SET_COMMUNES)
    with pytest.raises(TerritoryNotFound) as at_limit:  # exactly the limit passes the size check
        commune_set([f"{n:05d}" for n in range(MAX_SET_COMMUNES)])
    assert str(at_limit.value).startswith(SET_UNKNOWN.split("{")[0])


def test_parents_are_those_holding_every_commune():
    assert [p.code for p in parents(commune_set([CHAUVIGNY, POITIERS]))] == ["75", "86"]
    assert [p.code for p in parents(commune_set([POITIERS, ROCHEFORT]))] == ["75"]
    assert parents(commune_set([POITIERS, PARIS])) == []


def test_the_diagnosis_of_a_set_sums_its_communes_and_compares_with_its_departement():
    territory = commune_set([CHAUVIGNY, LUSSAC])
    diagnosis = build_diagnosis(territory)
    gp = diagnosis.professions[0]
    counted = SupplyCount.objects.filter(
        commune_id__in=[CHAUVIGNY, LUSSAC], equipement="generaliste", millesime=diagnosis.bpe_millesime
    ).aggregate(total=Sum("nombre"))["total"]
    assert gp.nombre == counted
    assert [c.label for c in gp.comparisons] == ["Vienne", "Nouvelle-Aquitaine", "France"]
    assert {row.code_insee for row in diagnosis.gp_rows} == {CHAUVIGNY, LUSSAC}


def test_the_etat_des_lieux_of_a_set_on_the_web(client):
    page = client.get(f"/territoires/set/{LUSSAC},{CHAUVIGNY}/etat-des-lieux/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chauvigny et Lussac-les-Châteaux" in text and "Ensemble de 2 communes" in text
    csv = client.get(f"/territoires/set/{CHAUVIGNY},{LUSSAC}/etat-des-lieux.csv")
    assert 'filename="etat-des-lieux-ensemble-2-communes.csv"' in csv["Content-Disposition"]
    missing = client.get(f"/territoires/set/{CHAUVIGNY},99999/etat-des-lieux/")
    assert missing.status_code == 404 and "99999" in missing.content.decode()
    territory_page = client.get(f"/territoires/set/{CHAUVIGNY},{LUSSAC}/").content.decode()
    assert "Communes de l&#x27;ensemble" in territory_page and "Lussac-les-Châteaux" in territory_page


def test_the_command_writes_the_etat_des_lieux_of_a_set(tmp_path):
    output = tmp_path / "projet.csv"
    call_command("diagnostic", f"set:{CHAUVIGNY},{LUSSAC}", format="csv", output=output, stdout=io.StringIO())
    assert f"{CHAUVIGNY},{LUSSAC}" in output.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="99999"):
        call_command("diagnostic", "set:99999", stdout=io.StringIO())


def test_the_map_zooms_on_a_set_and_outlines_it(client):
    box = client.get(f"/api/territoires/set/{CHAUVIGNY},{LUSSAC}/emprise").json()
    assert box["communes"] == [CHAUVIGNY, LUSSAC] and box["departements"] == ["86"]
    assert client.get("/api/territoires/commune/86194/emprise").json()["communes"] == []
    page = client.get(f"/carte/?territoire=set:{CHAUVIGNY},{LUSSAC}").content.decode()
    assert f'data-territoire="set:{CHAUVIGNY},{LUSSAC}"' in page
    hostile = client.get("/carte/?territoire=set:86070,<script>").content.decode()
    assert 'data-territoire=""' in hostile


def test_the_project_page_links_to_its_territory(client, cast, project):  # noqa: F811
    client.force_login(cast["vienne"])
    page = client.get(f"/projets/{project.pk}/").content.decode()
    assert f'href="/territoires/set/{CHAUVIGNY},{LUSSAC}/etat-des-lieux/"' in page
    assert f'href="/carte/?territoire=set:{CHAUVIGNY},{LUSSAC}"' in page
