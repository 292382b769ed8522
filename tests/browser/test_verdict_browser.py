"""The official verdict, as a visitor reads it: a territory page and a public vacancy page, in a real browser."""

import pytest

from oasis.accounts.enums import Role
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from tests.projects.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_antran_and_loudun_read_the_official_verdict(live_server, page, artifacts):

    page.goto(live_server.url + "/territoires/commune/86007/")
    card = page.locator("#verdict")
    assert card.locator(".figure").inner_text() == "Non sous-dense"
    assert "hors vivier" in card.inner_text() and "APL officielle DREES 2022 : 4,97" in card.inner_text()
    page.goto(live_server.url + "/territoires/commune/86137/")
    card = page.locator("#verdict")
    assert card.locator(".figure").inner_text() == "Sous-dense"
    assert "sélection nationale" in card.inner_text() and "2,35 (65 ans et moins) < 2,5" in card.inner_text()
    page.screenshot(path=artifacts / "verdict-loudun.png", full_page=True)

    officer = make_user("cm@vienne.test", Role.DEPARTEMENT, departement_id="86")
    vacancy = create_vacancy(
        officer, VacancyData(commune="86137", profession="generaliste", mode="liberal", contact_nom="Mairie de Loudun")
    )
    page.goto(f"{live_server.url}/installation/postes/{vacancy.pk}/")
    zoning = page.locator("#zonage").inner_text()
    assert "Commune sous-dense" in zoning and "sélection nationale" in zoning and "estimation" not in zoning
    page.screenshot(path=artifacts / "verdict-poste-loudun.png", full_page=True)
