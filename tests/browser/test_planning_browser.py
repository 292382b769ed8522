"""Planning in a real browser: three sites in the Vienne, on the map, with their reasons."""

import re

import pytest

from oasis.testing import run_queued_jobs
from tests.browser.conftest import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_three_sites_on_the_map(live_server, page, artifacts):
    page.goto(live_server.url + "/implantation/")
    pick(page, "Territoire", "Vienne", "Vienne — Département", exact=True)
    page.get_by_label("Nouveaux sites").fill("3")
    page.get_by_role("button", name="Proposer des sites").click()
    page.wait_for_url(re.compile(r"territoire=Vienne\+%2886%29"))
    # The plan is a job: the page says how far it is while the worker (here, the test) computes it.
    page.wait_for_selector("[data-job-status] progress")
    run_queued_jobs()
    page.wait_for_selector("#planning-map[data-ready='true']", timeout=60_000)
    assert page.locator(".site-marker").count() == 3
    assert page.locator("path.existing").count() == 17
    assert page.locator("#sites-list > li").count() == 3
    assert "habitants à moins de 20 min" in page.locator("#sites-list").inner_text()
    page.screenshot(path=artifacts / "implantation-vienne.png", full_page=True)
