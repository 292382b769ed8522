"""The main flows walked with the keyboard alone, without typing a single code: Tab to reach, type a name, arrows and
Enter to choose a suggestion, Enter to follow or submit."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import OFFICER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def tab_to(page, selector: str, limit: int = 120) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focus is on ``selector``; fails if the element cannot be reached from the keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector}: focus not visible"
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def choose_suggestion(page, typed: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.type(typed)
    page.get_by_role("option", name=re.compile("^" + re.escape(expected))).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_search_then_etat_des_lieux_then_pdf_with_the_keyboard(live_server, page):
    page.goto(live_server.url + "/")
    tab_to(page, "#q")
    page.keyboard.type("Poitiers")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/territoires/commune/86194/$"))
    tab_to(page, 'a[href$="/etat-des-lieux/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/etat-des-lieux/$"))
    tab_to(page, 'a[href$="etat-des-lieux.pdf"]')


def test_create_and_advance_a_project_with_the_keyboard(live_server, officer_page):
    page = officer_page
    tab_to(page, 'a[href="/projets/nouveau/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projets/nouveau/$"))
    tab_to(page, "#id_nom")
    page.keyboard.type("Maison de santé de Lussac")
    tab_to(page, "#id_carrier_name")
    page.keyboard.type("Commune de Lussac-les-Châteaux")
    tab_to(page, "#id_commune_principale")
    choose_suggestion(page, "Lussac-les", "Lussac-les-Châteaux — Commune")
    tab_to(page, "#id_collectivite_code")
    choose_suggestion(page, "Lussac-les", "Lussac-les-Châteaux — Commune")
    tab_to(page, "#id_next_action")
    page.keyboard.type("Réunion d'information")
    tab_to(page, "#id_next_action_due")
    # The order of a date input's segments follows the browser's locale: the value is set as the picker would.
    page.locator("#id_next_action_due").fill("2026-12-15")
    assert page.locator("#id_next_action_due").input_value() == "2026-12-15"
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projets/\d+/$"))
    assert "Projet « Maison de santé de Lussac » créé." in page.locator("[data-message=success]").inner_text()
    assert "15 décembre 2026" in page.locator("main").inner_text()
    assert page.locator("#id_next_action_due").input_value() == "2026-12-15"
    tab_to(page, "#reason")
    page.keyboard.type("Réunion avec le maire")
    tab_to(page, "#move-form button[type=submit]")
    with page.expect_navigation():  # waiting for the network alone may return before the form is posted
        page.keyboard.press("Enter")
    assert page.locator("[data-message=success]").inner_text() == "Nouvelle étape enregistrée."
    assert page.locator("#stage").text_content() == "Conseil de 1er niveau / réunion d'information"
    # Saving the next action again keeps its due date (the date input holds an ISO value).
    tab_to(page, "#id_next_action")
    page.keyboard.type(" (rappel)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_next_action_due").input_value() == "2026-12-15"


def test_officer_signs_in_with_the_keyboard(live_server, page):
    from django.contrib.auth import get_user_model

    from oasis.accounts.enums import Role
    from oasis.accounts.models import Profile

    user = get_user_model().objects.create_user(username="cm@vienne.test", email="cm@vienne.test", password=OFFICER_PASSWORD)
    Profile.objects.create(user=user, role=Role.DEPARTEMENT, departement_id="86")
    page.goto(live_server.url + "/connexion/")
    tab_to(page, "#id_username")
    page.keyboard.type("cm@vienne.test")
    page.keyboard.press("Tab")
    page.keyboard.type(OFFICER_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projets/$"))
    assert "Chargé(e) de mission du Département (Vienne (86))" in page.locator("#utilisateur").inner_text()
