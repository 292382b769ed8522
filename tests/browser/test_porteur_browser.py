"""A porteur's whole path in the browser: the Département gives the SISA access to its project; the e-mail (through a
real SMTP server, sent by the worker) brings the link to choose a password; the porteur signs in, sees their project
only, writes the projet de santé starting from the diagnosis, saves a draft, is told what is missing, submits the
version and downloads it as PDF."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import OFFICER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def submit(page, locator) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        locator.click()


def sign_in(page, base: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    submit(page, page.get_by_role("button", name="Se connecter"))


def test_a_porteur_writes_and_submits_the_projet_de_sante(live_server, browser, page, smtp, artifacts):
    from django.contrib.auth import get_user_model

    from oasis.accounts.enums import Role
    from oasis.accounts.models import Profile
    from oasis.projects.models import ProjetDeSante
    from oasis.projects.services import NewProject, create_project

    officer = get_user_model().objects.create_user(username="cm@vienne.test", email="cm@vienne.test", password=OFFICER_PASSWORD)
    Profile.objects.create(user=officer, role=Role.DEPARTEMENT, departement_id="86")
    lussac = create_project(
        officer, NewProject("Maison de santé de Lussac", "msp", "sisa", "SISA de Lussac", "86140", ["86140"], "commune", "86140")
    )
    create_project(
        officer,
        NewProject("Centre de santé de Civray", "centre-de-sante", "association", "Asso", "86078", [], "commune", "86078"),
    )

    sign_in(page, live_server.url, "cm@vienne.test", OFFICER_PASSWORD)
    page.goto(f"{live_server.url}/projets/{lussac.pk}/partenaires/")
    page.get_by_label(re.compile("^Adresse électronique du porteur")).fill("sisa@lussac.test")
    submit(page, page.get_by_role("button", name="Donner accès"))
    assert "Accès donné au porteur" in page.locator("[data-message=success]").inner_text()
    assert "mot de passe pas encore choisi" in page.locator("#liste-porteurs").inner_text().lower()

    call_command("worker", lot=True)  # the worker sends the e-mail
    [mail] = smtp.to("sisa@lussac.test")
    link = re.search(r"http://127\.0\.0\.1:8000(/mot-de-passe-oublie/\S+/\S+/)", mail.text)
    assert link is not None

    porteur = browser.new_context(locale="fr-FR").new_page()
    porteur.goto(live_server.url + link.group(1))
    password = "le-projet-de-la-sisa-2027"
    porteur.get_by_label(re.compile("^Nouveau mot de passe")).fill(password)
    porteur.get_by_label(re.compile("^Confirmation du nouveau mot de passe")).fill(password)
    submit(porteur, porteur.get_by_role("button", name="Enregistrer"))
    sign_in(porteur, live_server.url, "sisa@lussac.test", password)
    submit(porteur, porteur.get_by_role("link", name="Projets"))
    assert "Centre de santé de Civray" not in porteur.content()
    submit(porteur, porteur.get_by_role("link", name="Maison de santé de Lussac").first)
    submit(porteur, porteur.get_by_role("link", name="Projet de santé", exact=True))
    submit(porteur, porteur.locator("#reprendre-diagnostic"))
    needs = porteur.get_by_label(re.compile("^2. Besoins de santé du territoire")).input_value()
    assert needs.startswith("Territoire : ") and "APL estimée par OASIS" in needs
    porteur.get_by_label(re.compile("^1. Territoire et population")).fill("Lussac-les-Châteaux et ses environs.")
    submit(porteur, porteur.get_by_role("button", name="Enregistrer le brouillon"))
    assert "Brouillon enregistré (version 1)" in porteur.locator("[data-message=success]").inner_text()
    submit(porteur, porteur.get_by_role("button", name="Soumettre cette version"))
    assert "Complétez avant de soumettre" in porteur.locator("#erreur").inner_text()
    for label, text in [
        ("^3. Professionnels", "Deux généralistes et une infirmière associés."),
        ("^4. Horaires", "8 h – 20 h en semaine, samedi matin."),
        ("^5. Permanence", "Participation au tour de garde du secteur."),
        ("^6. Soins non programmés", "Créneaux réservés chaque jour."),
        ("^7. Coordination", "Réunion mensuelle, coordinatrice à mi-temps."),
        ("^8. Prévention", "Programme d'ETP diabète."),
        ("^11. Système d'information", "Logiciel labellisé ANS, messagerie sécurisée."),
    ]:
        porteur.get_by_label(re.compile(label)).fill(text)
    submit(porteur, porteur.get_by_role("button", name="Soumettre cette version"))
    assert "Projet de santé soumis (version 1)" in porteur.locator("[data-message=success]").inner_text()
    porteur.screenshot(path=artifacts / "projet-de-sante-porteur.png", full_page=True)
    with porteur.expect_download() as download:
        porteur.locator("#table-versions").get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == f"projet-de-sante-{lussac.pk}-v1.pdf"
    assert ProjetDeSante.objects.get(project=lussac).sections["prevention"] == "Programme d'ETP diabète."
