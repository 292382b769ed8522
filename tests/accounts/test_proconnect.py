"""ProConnect sign-in, end to end against a local OpenID Connect provider stand-in."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from oasis.accounts.enums import Role
from oasis.accounts.models import ProConnectIdentity, Profile, role_of
from oasis.accounts.proconnect import (
    ACCOUNT_DISABLED,
    BOUND_TO_ANOTHER,
    PRIVILEGED_ACCOUNT,
    PROVIDER_ANSWER,
    SEVERAL_ACCOUNTS,
    TOKEN_REFUSED,
    WAITING_FOR_ROLE,
)
from oasis.audit.models import AuditEvent
from tests.connectors.standins import REMOVED, ProConnect, configure_proconnect, serving

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


# --- Forged tokens and answers: each is a refusal on the login page, with its reason, and nobody signed in -----------


def refused(client, message: str | None) -> None:  # type: ignore[no-untyped-def]
    """The sign-in ends on the login page (never a 500), nobody signed in, told ``message`` when OASIS knows why."""
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/connexion/?proconnect=echec"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "La connexion avec ProConnect n'a pas abouti" in text
    if message is not None:
        assert escape(message) in text


def now() -> int:
    return int(time.time())


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "un-autre-client"},  # issued to another client (OIDC Core 3.1.3.7, 3)
        {"aud": ["un-autre-client", "encore-un"]},
        {"aud": REMOVED},
        {"aud": [ProConnect.CLIENT_ID, "un-autre-client"]},  # several audiences without azp
        {"aud": [ProConnect.CLIENT_ID, "un-autre-client"], "azp": "un-autre-client"},
        {"azp": "un-autre-client"},  # authorised party present: must be OASIS
        {"iss": "https://faux-proconnect.example/api/v2"},  # issued by another provider (3.1.3.7, 2)
        {"iss": REMOVED},
        {"exp": REMOVED},
        {"iat": REMOVED},
        {"sub": REMOVED},
        {"sub": ""},
        {"nonce": "un-autre-nonce"},
        {"nonce": REMOVED},
        {"exp": "demain"},
        {"exp": [4102444800]},  # a list where a date is due: PyJWT itself lets a TypeError out
        {"iat": {"le": 1}},
        {"iat": "1765100000"},  # a date as text
        {"exp": True},
    ],
    ids=repr,
)
def test_an_id_token_not_issued_by_proconnect_for_oasis_is_refused(provider, client, claims):
    provider.id_token_claims = claims
    refused(client, TOKEN_REFUSED)
    assert not get_user_model().objects.exists() and not ProConnectIdentity.objects.exists()


@pytest.mark.parametrize(
    ("claims", "accepted"),
    [
        (lambda t: {"exp": t - 61, "iat": t - 120}, False),  # expired, beyond the leeway
        (lambda t: {"exp": t - 50, "iat": t - 120}, True),  # expired within the leeway (clocks differ)
        (lambda t: {"iat": t + 3600, "exp": t + 3660}, False),  # issued in the future
        (lambda t: {"iat": t + 50, "exp": t + 110}, True),  # a clock slightly ahead
        (lambda t: {"iat": t - 3600, "exp": t + 60}, False),  # issued an hour ago, however long its life
        (lambda t: {"iat": t - 590, "exp": t + 60}, True),  # within ten minutes
        (lambda t: {"iat": t, "exp": t}, False),  # an expiry that is not after issue
        (lambda t: {"aud": [ProConnect.CLIENT_ID, "autre"], "azp": ProConnect.CLIENT_ID}, True),
        (lambda t: {"aud": [ProConnect.CLIENT_ID]}, True),
        (lambda t: {"azp": ProConnect.CLIENT_ID}, True),
    ],
)
def test_the_id_token_times_and_audiences_at_their_limits(provider, client, claims, accepted):
    provider.id_token_claims = claims(now())
    if accepted:
        assert sign_in(client)["Location"] == reverse("projects")
        assert int(client.session["_auth_user_id"]) == get_user_model().objects.get().pk
    else:
        refused(client, TOKEN_REFUSED)


@pytest.mark.parametrize(
    ("answer", "keys"),
    [
        ([], None),  # the token endpoint answers a JSON array
        (["id_token", "x"], None),
        ({}, None),
        ({"access_token": "acces-1", "token_type": "Bearer"}, None),  # no id_token
        ({"access_token": "acces-1", "id_token": 42}, None),
        ({"access_token": "acces-1", "id_token": "pas.un.jwt"}, None),
        (None, {}),  # the key set is empty
        (None, []),
        (None, {"keys": "cle-1"}),
        (None, {"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]}),  # a key without kid
        (None, {"keys": [{"kid": "cle-1", "alg": "RS256"}]}),  # a key without its material
        (None, {"keys": [{"kid": "cle-1", "kty": "RSA", "n": "!!", "e": "AQAB"}]}),
        (None, {"keys": ["cle-1"]}),
    ],
    ids=repr,
)
def test_a_malformed_provider_answer_is_a_refusal_not_a_500(provider, client, answer, keys):
    provider.token_answer, provider.jwks_answer = answer, keys
    refused(client, PROVIDER_ANSWER)
    assert not get_user_model().objects.exists()


def test_a_key_set_of_two_keys_of_one_kid_is_refused(provider, client):
    provider.jwks_answer = {"keys": [provider.jwk, provider.jwk]}
    refused(client, PROVIDER_ANSWER)


@pytest.mark.parametrize(
    "email",
    [["claire.martin@vienne.gouv.fr"], 42, None, "", "claire martin@vienne.gouv.fr", "sans-arobase", "a@b@c", True],
    ids=repr,
)
def test_a_userinfo_email_that_is_not_an_address_is_refused(provider, client, email):
    provider.userinfo_claims = {"email": email}
    refused(client, PROVIDER_ANSWER)
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    "claims",
    [{"sub": "quelqu-un-d-autre"}, {"sub": REMOVED}, {"iss": "https://faux-proconnect.example"}, {"aud": "un-autre-client"}],
    ids=repr,
)
def test_a_userinfo_of_another_person_provider_or_client_is_refused(provider, client, claims):
    provider.userinfo_claims = claims
    refused(client, TOKEN_REFUSED)
    assert not get_user_model().objects.exists()


def test_names_that_are_not_text_are_left_out(provider, client):
    provider.userinfo_claims = {"given_name": ["Claire"], "usual_name": 7}
    sign_in(client)
    user = get_user_model().objects.get()
    assert (user.first_name, user.last_name) == ("", "")


# --- Which account: by ProConnect identity once bound, never an administrator's by e-mail ----------------------------


@pytest.mark.parametrize(("superuser", "staff"), [(True, True), (True, False), (False, True)])
def test_an_administrator_account_is_never_signed_in_by_its_email(provider, client, superuser, staff):
    admin = get_user_model().objects.create_user(
        username="admin", email="CLAIRE.MARTIN@vienne.gouv.fr", password="x" * 20, is_superuser=superuser, is_staff=staff
    )
    refused(client, PRIVILEGED_ACCOUNT)
    assert get_user_model().objects.count() == 1 and not ProConnectIdentity.objects.exists()
    admin.refresh_from_db()
    assert admin.has_usable_password() and admin.last_login is None


def test_the_first_sign_in_binds_the_account_found_by_email_then_the_identity_finds_it(provider, client):
    user = get_user_model().objects.create_user(username="claire", email="claire.martin@vienne.gouv.fr", password="x" * 20)
    sign_in(client)
    assert ProConnectIdentity.objects.get().user == user and ProConnectIdentity.objects.get().sub == AGENT["sub"]
    assert AuditEvent.objects.filter(action="compte.liaison_proconnect").count() == 1
    client.logout()
    # ProConnect now gives another address, which another account holds: the identity still finds Claire's account.
    other = get_user_model().objects.create_user(username="autre", email="claire@nouvelle-adresse.fr", password="x" * 20)
    provider.claims = {**AGENT, "email": "claire@nouvelle-adresse.fr"}
    sign_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk != other.pk
    assert ProConnectIdentity.objects.count() == 1


def test_an_account_bound_to_another_identity_is_not_taken_over_by_its_email(provider, client):
    user = get_user_model().objects.create_user(username="claire", email="claire.martin@vienne.gouv.fr", password="x" * 20)
    ProConnectIdentity.objects.create(user=user, sub="une-autre-identite")
    refused(client, BOUND_TO_ANOTHER)
    assert list(ProConnectIdentity.objects.values_list("sub", flat=True)) == ["une-autre-identite"]


def test_a_created_account_is_bound_and_found_again_by_its_identity(provider, client):
    sign_in(client)
    user = get_user_model().objects.get()
    assert ProConnectIdentity.objects.get().user == user
    client.logout()
    provider.claims = {**AGENT, "email": "claire.martin@interieur.gouv.fr"}
    sign_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk and get_user_model().objects.count() == 1


def test_a_bound_account_deactivated_is_refused(provider, client):
    user = get_user_model().objects.create_user(username="claire", email="autre@vienne.gouv.fr", is_active=False)
    ProConnectIdentity.objects.create(user=user, sub=AGENT["sub"])
    refused(client, ACCOUNT_DISABLED)


def test_two_active_accounts_of_one_address_are_refused(provider, client):
    get_user_model().objects.create_user(username="claire1", email="claire.martin@vienne.gouv.fr")
    get_user_model().objects.create_user(username="claire2", email="Claire.Martin@vienne.gouv.fr")
    refused(client, SEVERAL_ACCOUNTS)
    assert not ProConnectIdentity.objects.exists()


def test_an_account_promoted_after_binding_is_found_by_its_identity(provider, client):
    """The e-mail never leads to an administrator; the identity bound when the account was an agent's still does."""
    sign_in(client)
    user = get_user_model().objects.get()
    user.is_staff = True
    user.save()
    client.logout()
    sign_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk
