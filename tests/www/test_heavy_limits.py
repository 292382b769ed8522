"""The pages and API operations computed on the spot refuse a visitor who is not signed in over the per-address
limits (429, ``Retry-After``, the reason in French), and leave signed-in users alone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from oasis.accounts.models import HeavyRequest

pytestmark = pytest.mark.django_db

HEAVY = [
    "/api/apl/simulation?profession=inconnue",
    "/api/carte/departements?profession=inconnue",
    "/api/carte/communes/86?profession=inconnue",
    "/territoires/commune/99999/etat-des-lieux/",
    "/territoires/commune/99999/etat-des-lieux.pdf",
    "/territoires/commune/99999/etat-des-lieux.csv",
    "/territoires/commune/99999/etat-des-lieux.xlsx",
    "/installation/ou-m-installer/",
    "/installation/ou-m-installer/fiche.pdf",
]


@pytest.fixture
def one_a_minute(settings):
    settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE = 2
    settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE = 1


@pytest.mark.parametrize("url", HEAVY)
def test_each_heavy_address_counts_and_refuses_over_the_limit(one_a_minute, url):
    client = Client(REMOTE_ADDR="203.0.113.5")
    assert client.get(url).status_code != 429  # the answer itself (here a refused input) counts all the same
    over = client.get(url)
    assert over.status_code == 429
    assert 55 <= int(over["Retry-After"]) <= 60
    reason = "Trop de demandes depuis votre adresse : 1 calcul par minute au plus sans être connecté."
    if url.startswith("/api/"):
        assert over["Content-Type"].startswith("application/json")
        assert over.json()["detail"].startswith(reason)
    else:
        page = over.content.decode()
        assert "Erreur 429" in page and "Trop de demandes" in page and reason in page
        assert 'class="fr-header' in page  # the site's layout (DSFR), not a bare text
    assert Client(REMOTE_ADDR="198.51.100.8").get(url).status_code != 429  # another address is not affected


@pytest.mark.parametrize("url", ["/api/recherche?q=poitiers", "/api/territoires/departement/86", "/"])
def test_light_addresses_are_not_counted(one_a_minute, url):
    client = Client(REMOTE_ADDR="203.0.113.5")
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    assert not HeavyRequest.objects.exists()


def test_a_signed_in_user_is_not_limited(one_a_minute):
    client = Client(REMOTE_ADDR="203.0.113.5")
    client.force_login(get_user_model().objects.create_user("agent@ars.test", "agent@ars.test"))
    assert [client.get(HEAVY[0]).status_code for _ in range(4)] == [400] * 4
    assert [client.get("/installation/ou-m-installer/").status_code for _ in range(3)] == [200] * 3
    assert not HeavyRequest.objects.exists()


def test_a_finished_request_no_longer_runs(settings):
    settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE = 1
    settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE = 30
    client = Client(REMOTE_ADDR="203.0.113.5")
    assert [client.get("/installation/ou-m-installer/").status_code for _ in range(5)] == [200] * 5
    assert not HeavyRequest.objects.filter(finished_at__isnull=True).exists()


def test_behind_a_trusted_proxy_the_forwarded_address_counts(one_a_minute, settings):
    settings.OASIS_TRUSTED_PROXIES = 1
    url = "/installation/ou-m-installer/"

    def get(forwarded: str) -> int:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).get(url).status_code

    assert get("203.0.113.5") == 200
    assert get("198.51.100.8") == 200  # the same proxy, another visitor
    assert get("6.6.6.6, 203.0.113.5") == 429  # what the client wrote before the proxy's entry changes nothing
    assert sorted(HeavyRequest.objects.values_list("address", flat=True)) == ["198.51.100.8", "203.0.113.5"]
