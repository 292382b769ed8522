"""A Département officer logs in, creates a project, moves it, adds the team, reads the conformity, downloads the avis."""

import re

import pytest
from django.contrib.auth import get_user_model

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]

PASSWORD = "une-phrase-de-passe-solide-2026"


def test_officer_creates_and_moves_a_project(live_server, page, artifacts):
    user = get_user_model().objects.create_user(username="cm@vienne.test", email="cm@vienne.test", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.DEPARTEMENT, departement_id="86")
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("cm@vienne.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/projets/$"))
    page.get_by_role("link", name="Nouveau projet").click()
    page.get_by_label("Nom du projet").fill("Maison de santé de Lussac")
    page.get_by_label("Nom du porteur").fill("Commune de Lussac-les-Châteaux")
    page.get_by_label("Commune d'implantation (code INSEE)").fill("86140")
    page.get_by_label("Code INSEE ou SIREN du bénéficiaire").fill("86140")
    page.get_by_role("button", name="Créer le projet").click()
    page.wait_for_url(re.compile(r"/projets/\d+/$"))
    assert page.locator("#stage").inner_text() == "Prise de contact / 1er entretien"
    for _ in range(2):
        page.get_by_label("Motif (obligatoire)").fill("Réunion avec le maire et les professionnels")
        page.get_by_role("button", name="Enregistrer").first.click()
        page.wait_for_load_state()
    assert page.locator("#stage").inner_text() == "Définition et formalisation du besoin"
    assert page.locator("#table-historique tbody tr").count() == 3
    for profession in ("generaliste", "generaliste", "infirmier"):
        page.select_option("#profession", profession)
        page.select_option("#status", "associe-liberal")
        page.get_by_role("button", name="Ajouter").click()
        page.wait_for_load_state()
    assert page.locator("#table-equipe tbody tr").count() == 3
    assert page.locator("#table-conformite tr[data-code='equipe-generalistes'] td").nth(2).inner_text() == "oui"
    assert "non satisfaite" in page.locator("#conformite-resultat").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'avis sur l'adéquation au cahier des charges (PDF)").click()
    assert download.value.suggested_filename.startswith("avis-cahier-des-charges-projet-")
    page.screenshot(path=artifacts / "projet-lussac.png", full_page=True)
    page.goto(live_server.url + "/projets/")
    assert page.locator(".board-card").count() == 1
