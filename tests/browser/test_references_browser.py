"""Official references in a real browser: the map shows the official APL first, the estimate on demand, the ARS zoning
and the named FINESS structures."""

from __future__ import annotations

import pytest

from oasis.references.importers import run_import
from tests.references.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]

MSP = (
    "structureet;860000001;860000000;MSP LUSSAC;MSP DE LUSSAC-LES-CHATEAUX;;;1;RUE;DE LA GARE;;;140;86;VIENNE;86320 LUSSAC;"
    ";;603;Maison de santé (L.6223-3);;;;;;;;;2019-09-02;2019-09-02;2026-01-01;"
)


def test_the_map_shows_the_official_apl_the_zoning_and_named_structures(live_server, page, artifacts, tmp_path):
    extract = tmp_path / "finess.csv"
    extract.write_text(
        "finess;etalab;2;2026-05-12\n" + MSP + "\n"
        "geolocalisation;860000001;508650.0;6595350.0;1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole);2026-05-04\n",
        encoding="utf-8",
    )
    run_import("finess", extract)
    run_import("zonage", ROOT / "docs" / "zonage_modele.csv")

    page.goto(live_server.url + "/carte/?territoire=dep:86")
    page.wait_for_selector("#map[data-ready='communes-86']", timeout=60_000)
    assert "APL officielle 2022 (DREES)" in page.locator("#legend").inner_text()
    assert "APL officielle : DREES, APL 2022" in page.locator("#provenance").inner_text()
    assert page.locator("path.structure-finess").count() == 1
    communes = page.locator("path.commune")
    official_fills = [communes.nth(i).get_attribute("fill") for i in range(0, 265, 5)]
    page.screenshot(path=artifacts / "carte-vienne-officielle.png")

    page.select_option("#source", "modele")
    assert "APL estimée (OASIS)" in page.locator("#legend").inner_text()
    estimate_fills = [communes.nth(i).get_attribute("fill") for i in range(0, 265, 5)]
    assert official_fills != estimate_fills  # the two sources colour the map differently

    page.locator("path.structure-finess").hover(force=True)
    assert (
        "MSP DE LUSSAC-LES-CHATEAUX — Maison de santé (L.6223-3), ouverte le 02/09/2019"
        in page.locator(".leaflet-tooltip").inner_text()
    )
