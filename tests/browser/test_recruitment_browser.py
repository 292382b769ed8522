"""An officer configures the Vienne scheme, follows a medical student to installation, and the commitment is fulfilled."""

import re

import pytest

from oasis.recruitment.models import AidAgreement
from tests.browser.conftest import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_officer_follows_a_student_to_installation(live_server, officer_page, artifacts):
    page = officer_page

    page.goto(live_server.url + "/recrutement/dispositifs/nouveau/")
    page.get_by_label("Code").fill("vienne-etudes-medecine")
    page.get_by_label("Nom", exact=True).fill("Aide aux études de médecine (Vienne)")
    page.get_by_label("Financeur").fill("Département de la Vienne")
    page.get_by_label("Médecin généraliste").check(force=True)
    page.get_by_label("Première année d'études aidée").fill("4")
    page.get_by_label("Dernière année d'études aidée").fill("10")
    page.get_by_label("Montant mensuel (€)").fill("500")
    page.get_by_label("Plafond total (€)").fill("42000")
    page.get_by_label("Durée d'exercice exigée (mois)").fill("84")
    page.get_by_label("Délai d'installation après le dernier versement (mois)").fill("36")
    page.get_by_role("button", name="Enregistrer le dispositif").click()
    page.wait_for_url(re.compile(r"/recrutement/dispositifs/$"))
    assert "Aide aux études de médecine (Vienne)" in page.locator("#table-dispositifs").inner_text()

    page.goto(live_server.url + "/recrutement/postes/nouveau/")
    pick(page, "Commune", "Chauvign", "Chauvigny — Commune")
    page.select_option("#id_profession", "generaliste")
    page.select_option("#id_mode", "liberal")
    page.get_by_label("Contact", exact=True).fill("Mairie de Chauvigny")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(re.compile(r"/recrutement/postes/\d+/$"))

    page.goto(live_server.url + "/recrutement/candidats/nouveau/")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.select_option("#id_profession", "generaliste")
    page.select_option("#id_situation", "etudiant")
    page.get_by_label("Année d'études").fill("4")
    pick(page, "Territoires souhaités", "Grand Poitiers", "CU du Grand Poitiers — EPCI")
    pick(page, "Lieu de référence (commune)", "Poitiers", "Poitiers — Commune")
    page.get_by_label(re.compile("La personne a consenti")).check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/recrutement/candidats/\d+/$"))

    page.select_option("#id_scheme", label="Aide aux études de médecine (Vienne)")
    page.get_by_label("Signée le").fill("2026-09-01")
    page.get_by_label("Premier versement").fill("2026-09-30")
    page.get_by_role("button", name="Créer la convention et l'échéancier").click()
    page.wait_for_url(re.compile(r"/recrutement/conventions/\d+/$"))
    assert page.locator("#table-versements tbody tr").count() == 84
    page.get_by_label("Versements effectués jusqu'au").fill("2026-09-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Marquer versés").click()
    assert page.locator("#verse").inner_text() == "500"
    page.get_by_role("link", name="Léa Durand").click()

    row = page.locator("#table-correspondances tbody tr").first
    assert "Chauvigny" in row.inner_text() and "dans un territoire souhaité" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("button", name="Mettre en relation").click()
    page.locator("#visit-form").get_by_label("Date").fill("2027-04-02")
    page.get_by_label("Lieux visités").fill("Chauvigny : cabinet médical, mairie")
    with page.expect_navigation():
        page.get_by_role("button", name="Planifier la visite").click()
    assert page.locator("#table-visites tbody tr").count() == 1
    form = page.locator("form.move-placement").first
    form.locator("select").select_option("installe")
    form.get_by_label("Installé le (si installé)").fill("2033-11-04")
    with page.expect_navigation():
        form.get_by_role("button", name="Enregistrer l'étape").click()
    assert "Installé" in page.locator("#table-parcours .stage").first.text_content()
    assert "Engagement honoré" in page.locator("#table-conventions").text_content()
    page.screenshot(path=artifacts / "recrutement-candidat.png", full_page=True)
    assert AidAgreement.objects.get().installation_commune_id == "86070"
