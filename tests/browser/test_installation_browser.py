"""A GP looking around Loudun on a phone, then on a laptop: the place picked by name, the verdict, the nearest maison
de santé, the vacancy, every aid and the Département's contact on one page, a second place compared; axe-core finds
no serious or critical violation and nothing scrolls sideways."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from oasis.installation.models import DepartementContact
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from tests.browser.conftest import pick
from tests.recruitment.conftest import cast, make_scheme  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]

VIEWPORTS = {"telephone": {"width": 390, "height": 844}, "ordinateur": {"width": 1366, "height": 900}}


def test_a_gp_finds_everything_about_loudun_on_one_page(live_server, browser, cast, artifacts):  # noqa: F811
    create_vacancy(cast["vienne"], VacancyData(commune="86137", profession="generaliste", mode="liberal", contact_nom="Mairie"))
    make_scheme(
        "vienne-zone", nom="Prime d'installation en zone sous-dense (Vienne)", plafond=Decimal("15000"), zone_sous_dense=True
    )
    DepartementContact.objects.create(departement_id="86", nom="Claire Dupont", telephone="05 49 55 66 77")
    problems = []
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(locale="fr-FR", viewport=viewport)
        page = context.new_page()
        page.goto(live_server.url + "/installation/")
        page.get_by_role("link", name="Comparer les lieux").click()
        page.select_option("#profession", "generaliste")
        pick(page, "Lieu", "Loudu", "Loudun — Commune")
        page.get_by_role("button", name="Afficher").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#lieu-1-verdict .fr-badge").inner_text().lower() == "sous-dense"
        assert "Maison de santé, Loudun" in page.locator("#lieu-1-structures").inner_text()
        assert "Médecin généraliste à Loudun" in page.locator("#lieu-1-postes").inner_text()
        aids = page.locator("#lieu-1-aides").inner_text()
        assert "Prime d'installation en zone sous-dense (Vienne)" in aids and "CESP" in aids
        assert "Claire Dupont" in page.locator(".contact-departement").inner_text()
        page.locator("#comparer summary").click()
        pick(page, "Comparer avec (facultatif)", "Poitie", "Poitiers — Commune")
        page.get_by_role("button", name="Afficher").click()
        page.wait_for_load_state("networkidle")
        assert "lieu=Poitiers" in page.url and "lieu=&" not in page.url
        assert page.locator("#comparaison thead th").all_inner_texts()[1:] == ["Loudun", "Poitiers"]
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{name}: {violation['id']} {[n['target'] for n in violation['nodes'][:2]]}")
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            problems.append(f"{name}: {scroll} px de large pour {client} px")
        page.screenshot(path=artifacts / f"ou-m-installer-{name}.png", full_page=True)
        context.close()
    assert not problems, "\n".join(problems)
