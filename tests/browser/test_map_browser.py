"""The APL map and the état des lieux in a real browser."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_map_colours_the_communes_of_a_departement(live_server, page, artifacts):
    page.goto(live_server.url + "/carte/?territoire=dep:86")
    page.wait_for_selector("#map[data-ready='communes-86']", timeout=60_000)
    communes = page.locator("path.commune")
    assert communes.count() == 265
    colours = {communes.nth(i).get_attribute("fill") for i in range(0, 265, 5)}
    assert len(colours - {"#cccccc"}) >= 3  # several APL classes on screen
    assert page.locator("path.structure").count() >= 10  # maisons and centres de santé
    assert "265 communes affichées" in page.locator("#status").inner_text()
    assert "BPE 2019" in page.locator("#provenance").inner_text()
    page.screenshot(path=artifacts / "carte-vienne.png")
    communes.first.click(force=True)
    assert "État des lieux" in page.locator(".leaflet-popup-content").inner_text()


def test_map_search_zooms_to_an_epci(live_server, page):
    page.goto(live_server.url + "/carte/")
    page.wait_for_selector("#map[data-ready='departements']", timeout=60_000)
    assert page.locator("path").count() >= 101
    page.locator("#map-search").fill("grand poitiers")
    page.locator("#map-suggestions a").first.click()
    page.wait_for_selector("#map[data-ready='communes-86']", timeout=60_000)


def test_diagnosis_page_shows_its_sections(live_server, page, artifacts):
    page.goto(live_server.url + "/territoires/epci/200069854/etat-des-lieux/")
    for heading in (
        "Synthèse",
        "L'offre de soins par profession",
        "Comparaison avec le département, la région et la France",
        "Carte de l'accessibilité aux médecins généralistes",
        "Méthode et sources",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("#table-professions tbody tr").count() == 7
    assert page.locator("svg.map circle").count() >= 40
    page.screenshot(path=artifacts / "etat-des-lieux-grand-poitiers.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    assert re.match(r"etat-des-lieux-epci-200069854\.pdf", download.value.suggested_filename)
