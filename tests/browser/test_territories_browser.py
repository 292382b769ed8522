"""A user finds a territory from the home page and reads its figures, in a real browser."""

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("national"),
]


def test_search_suggests_then_opens_the_commune(live_server, page, artifacts):
    page.goto(live_server.url + "/")
    search = page.get_by_label("Rechercher un territoire par nom, code postal ou code INSEE")
    search.fill("poiti")
    suggestion = page.locator("#q-suggestions a").first
    suggestion.wait_for(timeout=10_000)
    assert "Poitiers" in suggestion.inner_text()
    page.screenshot(path=artifacts / "home-suggestions.png")
    suggestion.click()
    page.wait_for_url(re.compile(r"/territoires/commune/86194/$"))
    assert page.locator("h1").inner_text().startswith("Poitiers")
    rows = page.locator("#table-offre tbody tr")
    assert rows.count() == 9
    generalistes = page.locator("#table-offre tr[data-equipement=generaliste] td").first.inner_text()
    assert generalistes == "106"
    page.screenshot(path=artifacts / "commune-86194.png", full_page=True)


def test_search_form_works_without_suggestions(live_server, page, artifacts):
    page.goto(live_server.url + "/")
    page.get_by_label("Rechercher un territoire par nom, code postal ou code INSEE").fill("Vienne")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=Vienne"))
    first = page.locator("ol.oasis-results li a").first
    assert first.inner_text() == "Vienne"
    first.click()
    page.wait_for_url(re.compile(r"/territoires/departement/86/$"))
    assert page.locator("#table-series tbody tr").count() == 12
    page.screenshot(path=artifacts / "departement-86.png", full_page=True)
