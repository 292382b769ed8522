"""The observatory in a real browser: the chart is drawn and the seed figures are on screen."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_observatory_national_then_occitanie(live_server, page, artifacts):
    page.goto(live_server.url + "/observatoire/")
    chart = page.locator("svg.chart").first
    assert chart.bounding_box()["height"] > 100
    assert page.locator("svg.chart circle").count() > 12
    table = page.locator("#table-publies").inner_text()
    assert "1\u202f889" in table or "1 889" in table or "1\xa0889" in table
    page.screenshot(path=artifacts / "observatoire-france.png", full_page=True)
    page.select_option("#region", "76")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"/observatoire/region/76/$"))
    assert "248" in page.locator("#table-publies").inner_text()
    assert "226" in page.locator("#table-publies").inner_text()
    assert page.locator("#explication").is_visible()
    page.screenshot(path=artifacts / "observatoire-occitanie.png", full_page=True)
