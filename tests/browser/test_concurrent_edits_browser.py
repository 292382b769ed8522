"""In the browser, one officer in two tabs writes the projet de santé: different sections are both kept; the same
section shows the other text beside the officer's own, kept in its field, and the merge is saved."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]

HORAIRES = re.compile("^4. Horaires d'ouverture")
PREVENTION = re.compile("^8. Prévention")


def save(tab) -> None:  # type: ignore[no-untyped-def]
    with tab.expect_navigation():
        tab.get_by_role("button", name="Enregistrer le brouillon").click()


def test_two_tabs_write_the_projet_de_sante(live_server, officer_page):
    from oasis.projects.models import ProjetDeSante
    from oasis.projects.services import NewProject, create_project

    project = create_project(
        officer_page.officer,
        NewProject("Maison de santé de Lussac", "msp", "sisa", "SISA de Lussac", "86140", ["86140"], "commune", "86140"),
    )
    url = f"{live_server.url}/projets/{project.pk}/projet-de-sante/"
    first, second = officer_page, officer_page.context.new_page()
    first.goto(url)
    second.goto(url)
    first.get_by_label(HORAIRES).fill("8 h – 20 h en semaine.")
    save(first)
    second.get_by_label(PREVENTION).fill("Dépistage du diabète.")
    save(second)
    assert "Brouillon enregistré (version 1)" in second.locator("[data-message=success]").inner_text()
    stored = ProjetDeSante.objects.get(project=project).sections
    assert (stored["horaires"], stored["prevention"]) == ("8 h – 20 h en semaine.", "Dépistage du diabète.")

    first.goto(url)
    second.goto(url)
    first.get_by_label(HORAIRES).fill("8 h – 19 h et samedi matin.")
    save(first)
    second.get_by_label(HORAIRES).fill("8 h – 20 h, fermé le samedi.")
    save(second)
    assert "modifiées entre-temps" in second.locator("#erreur").inner_text()
    assert "Modifiée entre-temps par cm@vienne.test" in second.locator("#conflit-horaires").inner_text()
    assert "8 h – 19 h et samedi matin." in second.locator("#comparaison-horaires").inner_text()
    assert second.get_by_label(HORAIRES).input_value() == "8 h – 20 h, fermé le samedi."
    second.get_by_label(HORAIRES).fill("8 h – 20 h en semaine et samedi matin.")
    save(second)
    assert "Brouillon enregistré" in second.locator("[data-message=success]").inner_text()
    stored = ProjetDeSante.objects.get(project=project).sections
    assert (stored["horaires"], stored["prevention"]) == ("8 h – 20 h en semaine et samedi matin.", "Dépistage du diabète.")
