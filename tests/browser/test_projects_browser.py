"""A Département officer logs in, creates a project, moves it, adds the team, reads the conformity, downloads the avis."""

import re

import pytest

from tests.browser.conftest import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_officer_creates_and_moves_a_project(live_server, officer_page, artifacts):
    page = officer_page
    page.get_by_role("link", name="Nouveau projet").click()
    page.get_by_label("Nom du projet").fill("Maison de santé de Lussac")
    page.get_by_label("Nom du porteur").fill("Commune de Lussac-les-Châteaux")
    pick(page, "Commune d'implantation", "Lussac-les", "Lussac-les-Châteaux — Commune")
    pick(page, "Commune ou EPCI bénéficiaire", "Lussac-les", "Lussac-les-Châteaux — Commune")
    assert page.get_by_label("Commune d'implantation").input_value() == "Lussac-les-Châteaux (86140)"
    page.get_by_role("button", name="Créer le projet").click()
    page.wait_for_url(re.compile(r"/projets/\d+/$"))
    assert page.locator("#stage").text_content() == "Prise de contact / 1er entretien"
    for _ in range(2):
        page.get_by_label("Motif (obligatoire)").fill("Réunion avec le maire et les professionnels")
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer").first.click()
    assert page.locator("#stage").text_content() == "Définition et formalisation du besoin"
    assert page.locator("#table-historique tbody tr").count() == 3
    for profession in ("generaliste", "generaliste", "infirmier"):
        page.select_option("#profession", profession)
        page.select_option("#status", "associe-liberal")
        with page.expect_navigation():
            page.get_by_role("button", name="Ajouter").click()
    assert page.locator("#table-equipe tbody tr").count() == 3
    assert page.locator("#table-conformite tr[data-code='equipe-generalistes'] td").nth(2).inner_text() == "oui"
    assert "non satisfaite" in page.locator("#conformite-resultat").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'avis sur l'adéquation au cahier des charges (PDF)").click()
    assert download.value.suggested_filename.startswith("avis-cahier-des-charges-projet-")
    page.screenshot(path=artifacts / "projet-lussac.png", full_page=True)
    page.goto(live_server.url + "/projets/")
    assert page.locator(".board-card").count() == 1


def test_officer_follows_partners_funding_documents_and_dashboard(live_server, officer_page, artifacts, settings, tmp_path):
    from oasis.projects.services import NewProject, create_project

    settings.MEDIA_ROOT = tmp_path / "documents"
    page = officer_page
    project = create_project(
        page.officer, NewProject("Maison de santé de Lussac", "msp", "commune", "Commune", "86140", [], "commune", "86140")
    )
    base = f"{live_server.url}/projets/{project.pk}"

    page.goto(base + "/partenaires/")
    page.select_option("#id_kind", "ars")
    page.get_by_label("Organisation").fill("ARS Nouvelle-Aquitaine")
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter le partenaire").click()
    page.select_option("#id_kind_action", "reunion-information")
    page.get_by_label("Objet").fill("Réunion d'information des professionnels")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l'action").click()
    assert "ARS Nouvelle-Aquitaine" in page.locator(".partner h3").inner_text()
    assert page.locator("#table-actions tbody tr").count() == 1

    page.get_by_role("link", name="Plan de financement").click()
    page.get_by_label("Coût de l'opération (€ HT)").fill("1000000")
    with page.expect_navigation():
        page.locator("#cost-form button").click()
    for tool, amount in (("detr", "500000"), ("region", "400000")):
        page.select_option("#id_tool", tool)
        page.get_by_label("Montant demandé (€)").fill(amount)
        with page.expect_navigation():
            page.locator("#line-form button").click()
    assert page.locator("#table-financement tbody tr").count() == 2
    assert "dépassent le plafond de 80 %" in page.locator(".plan-alerte").first.inner_text()
    # Lussac-les-Châteaux (2 263 inhabitants): the DETR depends on its potentiel financier, which OASIS does not hold.
    detr = page.locator("#table-outils tr[data-outil='detr']")
    assert detr.get_attribute("data-eligible") == "a-confirmer" and "potentiel financier" in detr.inner_text()
    assert page.locator("#table-outils tr[data-outil='dsil']").get_attribute("data-eligible") == "oui"
    page.screenshot(path=artifacts / "projet-financement.png", full_page=True)

    page.get_by_role("link", name="Simulateur ACI").click()
    for code in ("horaires", "coordination", "si-standard", "concertation", "crises-sanitaires"):
        page.locator(f"input[name='i-{code}']").check(force=True)
    page.locator("input[name='i-protocoles']").fill("8")
    with page.expect_navigation():
        page.get_by_role("button", name="Simuler").click()
    assert page.locator("#aci-points").inner_text() == "8\u202f850 points"
    page.screenshot(path=artifacts / "projet-aci.png", full_page=True)

    page.get_by_role("link", name="Documents").click()
    document = tmp_path / "projet-de-sante.pdf"
    document.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.select_option("#id_kind", "projet-de-sante")
    page.get_by_label("Titre").fill("Projet de santé")
    page.set_input_files("#id_fichier", str(document))
    with page.expect_navigation():
        page.locator("#document-form button").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("v1 — projet-de-sante.pdf")).click()
    assert download.value.suggested_filename == "projet-de-sante.pdf"

    page.goto(live_server.url + "/projets/tableau-de-bord/")
    page.wait_for_selector("#projects-map path.leaflet-interactive")
    assert "1 projet sur la carte" in page.locator("#map-status").inner_text()
    page.wait_for_load_state("networkidle")  # the outlines too: no request may outlive the test
    page.screenshot(path=artifacts / "projets-tableau-de-bord.png", full_page=True)
