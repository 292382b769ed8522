"""A user who forgot their password gets a link by e-mail (through a real SMTP server), chooses a new password and
signs in with it; then reads the notification a comment raised and chooses a daily digest."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import OFFICER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def test_forgotten_password_then_notifications(live_server, page, smtp, artifacts):
    from django.contrib.auth import get_user_model

    from oasis.accounts.enums import Role
    from oasis.accounts.models import Profile
    from oasis.notifications.enums import Event
    from oasis.notifications.services import Message, notify

    user = get_user_model().objects.create_user(username="cm@vienne.test", email="cm@vienne.test", password=OFFICER_PASSWORD)
    Profile.objects.create(user=user, role=Role.DEPARTEMENT, departement_id="86")
    notify([user], Message(Event.COMMENTAIRE, "Projet de Lussac : commentaire de la mairie", "", "/projets/", "c:1"))

    page.goto(live_server.url + "/connexion/")
    with page.expect_navigation():
        page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse électronique").fill("cm@vienne.test")
    with page.expect_navigation():
        page.get_by_role("button", name="Recevoir le lien").click()
    assert "Si un compte OASIS existe pour cette adresse" in page.locator("#reset-sent").inner_text()
    [mail] = [mail for mail in smtp.mails if "mot de passe" in mail.subject]
    link = re.search(r"http://127\.0\.0\.1:8000(/mot-de-passe-oublie/\S+/\S+/)", mail.text)  # OASIS_URL_PUBLIQUE
    assert link is not None
    page.goto(live_server.url + link.group(1))
    new = "une-nouvelle-phrase-de-passe-2027"
    page.get_by_label(re.compile("^Nouveau mot de passe")).fill(new)
    page.get_by_label(re.compile("^Confirmation du nouveau mot de passe")).fill(new)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Votre mot de passe est enregistré" in page.locator("[data-message=success]").inner_text()

    page.get_by_label("Adresse électronique").fill("cm@vienne.test")
    page.get_by_label("Mot de passe").fill(new)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert page.locator("#notifications-non-lues").get_attribute("aria-label") == "1 notification non lue"
    with page.expect_navigation():
        page.locator("#notifications-non-lues").click()
    page.screenshot(path=artifacts / "mon-compte.png", full_page=True)
    page.locator("label", has_text="Un récapitulatif par jour").click()
    with page.expect_navigation():
        page.locator("#preference-form button[type=submit]").click()
    assert "Préférence enregistrée : un récapitulatif par jour." in page.locator("[data-message=success]").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Projet de Lussac : commentaire de la mairie").click()
    assert page.url.endswith("/projets/")
    assert (
        page.locator("#notifications-non-lues").get_attribute("aria-label") == "0 notification non lue"
    )  # the name holds the visible count
