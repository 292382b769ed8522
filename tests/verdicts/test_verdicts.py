"""The verdict « sous-dense »: ARS order, else the official DREES APL with the national rule, else OASIS's estimate.

Expectations are read from the shipped workbook directly (openpyxl), not through the importer or the service.
"""

from __future__ import annotations

from functools import cache

import pytest
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook

from oasis.references.enums import ReferenceKind
from oasis.references.importers import run_import
from oasis.references.models import OfficialApl, OfficialAplUnit, ReferenceImport
from oasis.territories.models import Commune
from oasis.territories.services import get_territory
from oasis.verdicts.services import changes, snapshot, territory_counts, territory_verdicts, verdict, verdicts
from tests.references.conftest import SHIPPED_WORKBOOK

pytestmark = pytest.mark.django_db
HEADER = "region;date_arrete;code_insee;profession;zone\n"
ANTRAN, LOUDUN = "86007", "86137"


@cache
def published_under_65() -> dict[str, float]:
    """Code → APL of the GPs aged 65 and under, as published in the shipped 2022 workbook."""
    book = load_workbook(SHIPPED_WORKBOOK, read_only=True)
    try:
        return {
            row[0]: row[3] for row in book["APL 2022"].iter_rows(min_row=11, values_only=True) if row[0] and row[3] is not None
        }
    finally:
        book.close()


def expected(value: float) -> tuple[bool | None, str]:
    """The national rule, written out: < 2.5 sélection nationale, < 4 vivier (the ARS decides), else hors vivier."""
    if value < 2.5:
        return True, "selection-nationale"
    if value < 4:
        return None, "vivier"
    return False, "hors-vivier"


def test_every_commune_of_the_vienne_follows_the_rule_on_the_published_values(national):
    published = published_under_65()
    found = territory_verdicts(get_territory("departement", "86"))
    assert len(found) == Commune.objects.units().filter(departement_id="86").count() == 265
    # Communes unchanged since the APL's COG carry the published value itself (a merged commune carries the
    # standardised-population weighted mean of its former communes, tested with the importer).
    merged = set(
        OfficialApl.objects.filter(profession="generaliste", annee=2022, commune__departement_id="86")
        .exclude(code_insee=F("commune_id"))
        .values_list("commune_id", flat=True)
    )
    same = [code for code in found if code in published and code not in merged]
    assert len(same) >= 250
    for code in same:
        item = found[code]
        assert (item.sous_dense, item.zone) == expected(published[code]), code
        assert (item.source, item.millesime, item.valeur) == ("apl-drees", "2022", pytest.approx(published[code]))
    assert found[ANTRAN].sous_dense is False and found[ANTRAN].zone == "hors-vivier"
    assert found[LOUDUN].sous_dense is True and found[LOUDUN].zone == "selection-nationale"
    assert found[LOUDUN].libelle == (
        "APL officielle DREES 2022 : 2,35 (65 ans et moins) < 2,5 : sélection nationale — en attendant l'arrêté de l'ARS"
    )


def _set_under_65(code: str, value: float) -> None:
    OfficialAplUnit.objects.filter(profession="generaliste", annee=2022, commune_id=code).update(apl_moins_65=value)


@pytest.mark.parametrize(
    ("value", "sous_dense", "zone", "seuil"),
    [
        (2.4999, True, "selection-nationale", 2.5),
        (2.5, None, "vivier", 4.0),
        (2.5001, None, "vivier", 4.0),
        (3.9999, None, "vivier", 4.0),
        (4.0, False, "hors-vivier", 4.0),
        (4.0001, False, "hors-vivier", 4.0),
    ],
)
def test_each_threshold_at_under_and_over_on_the_official_path(national, value, sous_dense, zone, seuil):
    _set_under_65(LOUDUN, value)
    item = verdict(LOUDUN)
    assert (item.sous_dense, item.zone, item.seuil, item.valeur, item.source) == (sous_dense, zone, seuil, value, "apl-drees")


def test_the_thresholds_come_from_the_settings(national, settings):
    settings.OASIS_ZONING_NATIONAL_SELECTION_BELOW, settings.OASIS_ZONING_VIVIER_BELOW = 2.0, 2.3
    assert (verdict(LOUDUN).zone, verdict(LOUDUN).sous_dense) == ("hors-vivier", False)  # 2,346 ≥ 2,3


def test_an_order_overrides_the_apl_for_its_communes_only(national, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(HEADER + f"75;2024-03-01;{ANTRAN};generaliste;ZAC\n", encoding="utf-8")
    run_import("zonage", path)
    antran, loudun = verdict(ANTRAN), verdict(LOUDUN)
    assert (antran.source, antran.zone, antran.sous_dense, antran.millesime) == ("arrete-ars", "ZAC", True, "2024-03-01")
    assert antran.libelle == "Zone d'action complémentaire (ZAC) — arrêté de l'ARS du 01/03/2024 : commune sous-dense"
    assert (loudun.source, loudun.sous_dense) == ("apl-drees", True)


def test_a_replaced_order_never_acts_and_the_newer_one_does(national, tmp_path):
    old, new = tmp_path / "2024.csv", tmp_path / "2025.csv"
    old.write_text(HEADER + f"75;2024-03-01;{LOUDUN};generaliste;HV\n75;2024-03-01;{ANTRAN};generaliste;ZIP\n")
    new.write_text(HEADER + f"75;2025-06-01;{ANTRAN};generaliste;HZ\n")
    run_import("zonage", old)
    assert (verdict(LOUDUN).zone, verdict(ANTRAN).zone) == ("HV", "ZIP")
    run_import("zonage", new)
    # Loudun is not in the order in force: its row of 2024 is history, and the official APL decides again.
    assert (verdict(LOUDUN).source, verdict(LOUDUN).sous_dense) == ("apl-drees", True)
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).sous_dense, verdict(ANTRAN).millesime) == ("HZ", False, "2025-06-01")


def test_a_newer_workbook_moves_the_verdicts_that_rest_on_the_apl(national):
    reference = ReferenceImport.objects.create(
        kind=ReferenceKind.DREES_APL, fichier="apl_2023.xlsx", sha256="0" * 64, source="DREES", millesime="2023"
    )
    OfficialAplUnit.objects.create(
        reference=reference, profession="generaliste", annee=2023, commune_id=LOUDUN, apl=5.2, apl_moins_65=4.8
    )
    loudun = verdict(LOUDUN)
    assert (loudun.millesime, loudun.zone, loudun.sous_dense, loudun.valeur) == ("2023", "hors-vivier", False, 4.8)
    # Antran is not in the newer sheet: it falls back to the estimate, and says so.
    antran = verdict(ANTRAN)
    assert antran.source == "estimation"
    assert antran.libelle.startswith("Estimation OASIS (ni arrêté de l'ARS ni APL officielle de la DREES pour cette commune)")


def test_a_commune_missing_from_the_workbook_falls_back_to_the_estimate(national):
    from oasis.accessibility.runs import current_run

    OfficialAplUnit.objects.filter(commune_id=ANTRAN).delete()
    run = current_run("generaliste")
    estimate = run.results.get(commune_id=ANTRAN).apl
    item = verdict(ANTRAN)
    assert (item.source, item.zone, item.seuil, item.valeur) == ("estimation", None, 2.5, estimate)
    assert item.sous_dense is (estimate < 2.5)
    assert not item.officiel


def test_other_professions_rest_on_the_order_else_the_estimate(national, tmp_path):
    assert verdict(LOUDUN, "masseur-kinesitherapeute").source == "estimation"
    path = tmp_path / "zonage.csv"
    path.write_text(HEADER + f"75;2024-03-01;{LOUDUN};masseur-kinesitherapeute;sous-doté\n", encoding="utf-8")
    run_import("zonage", path)
    item = verdict(LOUDUN, "masseur-kinesitherapeute")
    assert (item.source, item.sous_dense, item.zone) == ("arrete-ars", True, "sous-dote")


def test_counts_and_changes(national, tmp_path):
    vienne = get_territory("departement", "86")
    published = published_under_65()
    population = dict(Commune.objects.units().filter(departement_id="86").values_list("code_insee", "population"))
    found = territory_counts(vienne)
    under = [code for code in population if code in published and published[code] < 2.5]
    assert found.communes == 265 and found.communes_sous_denses >= len(under)
    assert found.population_sous_dense >= sum(population[code] for code in under) > 0
    assert found.sources["apl-drees"] >= 250
    before = snapshot(["generaliste"])
    path = tmp_path / "zonage.csv"
    path.write_text(HEADER + f"75;2024-03-01;{LOUDUN};generaliste;HZ\n75;2024-03-01;{ANTRAN};generaliste;HZ\n")
    run_import("zonage", path)
    changed = changes(before, snapshot(["generaliste"]))
    # Antran was already « non sous-dense »: only Loudun changed.
    assert [(c.code_insee, c.avant.sous_dense, c.apres.sous_dense) for c in changed] == [(LOUDUN, True, False)]
    assert changed[0].population == population[LOUDUN]


def test_a_list_of_codes_keeps_its_order_and_an_unknown_code_is_unknown(national):
    found = verdicts([LOUDUN, "99999", ANTRAN])
    assert list(found) == [LOUDUN, "99999", ANTRAN]
    assert (found["99999"].sous_dense, found["99999"].source) == (None, "estimation")


# --- Every place that shows a verdict shows this one -----------------------------------------------------------------


def test_the_territory_pages_show_the_official_verdict(national, client):
    antran = client.get(reverse("territory", args=["commune", ANTRAN])).content.decode()
    loudun = client.get(reverse("territory", args=["commune", LOUDUN])).content.decode()
    assert (
        "Non sous-dense" in antran
        and "hors vivier" in antran
        and "estimation OASIS)" not in antran.split('id="verdict"')[1][:400]
    )
    assert "Sous-dense" in loudun and "sélection nationale" in loudun


def test_the_zonage_api(national, client):
    answer = client.get("/api/zonage", {"territoire": "dep:86", "profession": "generaliste"})
    assert answer.status_code == 200
    body = answer.json()
    by_code = {row["code_insee"]: row for row in body["communes"]}
    assert len(by_code) == 265
    assert by_code[LOUDUN] | {"libelle": ""} == {
        "code_insee": LOUDUN,
        "nom": "Loudun",
        "sous_dense": True,
        "zone": "selection-nationale",
        "source": "apl-drees",
        "millesime": "2022",
        "valeur": pytest.approx(published_under_65()[LOUDUN]),
        "seuil": 2.5,
        "libelle": "",
    }
    assert by_code[ANTRAN]["sous_dense"] is False
    assert any(row["sous_dense"] is None and row["zone"] == "vivier" for row in body["communes"])
    assert client.get("/api/zonage", {"territoire": "com:86137"}).json()["communes"][0]["sous_dense"] is True
    assert client.get("/api/zonage", {"territoire": "dep:86", "profession": "plombier"}).status_code == 400
    assert client.get("/api/zonage", {"territoire": "dep:999"}).status_code == 404
    assert "/api/zonage" in client.get("/api/schema").json()["paths"]


def test_the_etat_des_lieux_ranks_by_the_official_apl_with_the_estimate_beside(national, client):
    csv = client.get(reverse("diagnostic_csv", args=["departement", "86"])).content.decode("utf-8-sig")
    least = [line for line in csv.splitlines() if line.startswith("communes les moins bien servies")]
    official = [line for line in least if "APL officielle 2022" in line]
    assert len(official) == 10 and len([line for line in least if "APL estimée" in line]) == 10
    assert "population en commune sous-dense" in csv


def test_the_map_rings_follow_the_verdict(national, client):
    body = client.get("/api/carte/communes/86", {"profession": "generaliste"}).json()
    props = {feature["properties"]["code"]: feature["properties"] for feature in body["features"]}
    assert props[LOUDUN]["sous_dense"] is True and props[LOUDUN]["verdict_source"] == "apl-drees"
    assert props[ANTRAN]["sous_dense"] is False
    assert "sous_dense_estimation" in props[ANTRAN]


def test_the_siting_demand_sous_denses_weighs_the_verdict(national):
    from oasis.accessibility.units import load_units
    from oasis.planning.services import under_served_mask

    units = load_units()
    mask = under_served_mask(units, "generaliste")
    assert mask[units.index[LOUDUN]] and not mask[units.index[ANTRAN]]


def test_the_etat_des_lieux_map_is_coloured_by_the_official_apl_and_says_so(national):
    from oasis.charts import APL_COLORS
    from oasis.diagnostics.report import context
    from oasis.diagnostics.services import build_diagnosis

    svg = str(context(build_diagnosis(get_territory("departement", "86")))["map_svg"])
    assert "APL officielle 2022 aux médecins généralistes (DREES), Vienne" in svg and "estimation" not in svg
    # Coulonges-les-Hérolles: official APL below 1,5 (the darkest class), whatever the estimate says.
    official = OfficialAplUnit.objects.get(profession="generaliste", annee=2022, commune_id="86084").apl
    assert official < 1.5
    dot = svg.split("Coulonges-les-Hérolles (86084) : APL ")[0].rsplit("<circle", 1)[1]
    assert f'fill="{APL_COLORS[0]}"' in dot
