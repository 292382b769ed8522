"""A public agent signs in with ProConnect in a real browser, through a local OpenID Connect provider stand-in: the
account is created without a role, and the page says an administrator will grant it."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_every_page import _visit
from tests.connectors.standins import ProConnect, configure_proconnect, serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_proconnect(live_server, page, settings, artifacts):
    from django.contrib.auth import get_user_model

    from oasis.accounts.proconnect import WAITING_FOR_ROLE

    agent = {
        "sub": "agent-1",
        "email": "agent@ars.sante.fr",
        "given_name": "Léa",
        "usual_name": "Bernard",
        "siret": "13000548100010",
    }
    with serving(ProConnect(agent)) as standin:
        configure_proconnect(settings, standin)
        # The login page with ProConnect offered: accessible, on a phone and on a laptop.
        (artifacts / "pages").mkdir(exist_ok=True)
        assert _visit(page, live_server.url + "/connexion/", "connexion-proconnect", artifacts) == []
        with page.expect_navigation(url=re.compile(r"/projets/$")):
            page.get_by_role("link", name="S'identifier avec ProConnect").click()
    assert WAITING_FOR_ROLE in page.locator("body").inner_text()
    page.screenshot(path=str(artifacts / "proconnect.png"))
    user = get_user_model().objects.get(email="agent@ars.sante.fr")
    assert (user.first_name, user.last_name) == ("Léa", "Bernard")
