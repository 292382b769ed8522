"""ProConnect sign-in, end to end against a local OpenID Connect provider stand-in."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile, role_of
from oasis.accounts.proconnect import WAITING_FOR_ROLE
from oasis.audit.models import AuditEvent
from tests.connectors.standins import ProConnect, configure_proconnect, serving

pytestmark = pytest.mark.django_db

AGENT = {
    "sub": "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1",
    "email": "Claire.Martin@vienne.gouv.fr",
    "given_name": "Claire",
    "usual_name": "Martin",
    "siret": "22860001300014",
    "uid": "1234",
}


@pytest.fixture
def provider(settings):  # type: ignore[no-untyped-def]
    with serving(ProConnect(AGENT)) as standin:
        configure_proconnect(settings, standin)
        yield standin


def sign_in(client):  # type: ignore[no-untyped-def]
    """The browser's trip: OASIS → provider (which authenticates the agent) → OASIS's callback."""
    to_provider = client.get(reverse("oidc_authentication_init"))
    assert to_provider.status_code == 302
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlparse(back.headers["Location"])
    assert callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}")


def test_first_sign_in_creates_an_account_without_a_role(provider, client):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("projects")
    user = get_user_model().objects.get()
    assert (user.email, user.first_name, user.last_name) == ("Claire.Martin@vienne.gouv.fr", "Claire", "Martin")
    assert not user.has_usable_password()
    assert role_of(user) is None
    assert AuditEvent.objects.filter(action="compte.creation_proconnect").count() == 1
    page = client.get(reverse("projects"), follow=True)
    assert WAITING_FOR_ROLE in page.content.decode()


def test_an_existing_account_is_matched_by_email_and_keeps_its_role(provider, client):
    user = get_user_model().objects.create_user(username="claire", email="claire.martin@vienne.gouv.fr", password="x" * 20)
    Profile.objects.create(user=user, role=Role.DEPARTEMENT, departement_id="86")
    sign_in(client)
    assert get_user_model().objects.count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert role_of(user) == Role.DEPARTEMENT and user.has_usable_password()


def test_a_deactivated_account_is_not_signed_in_nor_duplicated(provider, client):
    get_user_model().objects.create_user(
        username="claire.martin@vienne.gouv.fr", email="claire.martin@vienne.gouv.fr", is_active=False
    )
    response = sign_in(client)
    assert response["Location"] == "/connexion/?proconnect=echec"
    assert get_user_model().objects.count() == 1 and "_auth_user_id" not in client.session


def test_a_forged_state_is_refused(provider, client):
    client.get(reverse("oidc_authentication_init"))
    response = client.get(reverse("oidc_authentication_callback") + "?code=code-1&state=forge")
    assert response["Location"] == "/connexion/?proconnect=echec"
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_sends_back_to_the_login_page(provider, client, settings):
    to_provider = client.get(reverse("oidc_authentication_init"))
    back = urlparse(requests.get(to_provider["Location"], allow_redirects=False, timeout=5).headers["Location"])
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    response = client.get(f"{back.path}?{back.query}")
    assert response["Location"] == "/connexion/?proconnect=echec"
    assert "_auth_user_id" not in client.session


def test_a_wrong_client_secret_signs_nobody_in(provider, client, settings):
    settings.OIDC_RP_CLIENT_SECRET = "mauvais"
    response = sign_in(client)
    assert response["Location"] == "/connexion/?proconnect=echec"
    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n'a pas abouti" in client.get(response["Location"]).content.decode()


def test_without_configuration_there_is_no_proconnect(client, settings):
    settings.OASIS_PROCONNECT = False
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "S'identifier avec ProConnect" not in client.get(reverse("login")).content.decode()


def test_the_login_page_offers_proconnect_when_configured(provider, client):
    page = client.get(reverse("login")).content.decode()
    assert "S'identifier avec ProConnect" in page and reverse("oidc_authentication_init") in page
