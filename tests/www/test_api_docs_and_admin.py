"""The API's documentation is a French DSFR page built from the OpenAPI schema, serving nothing from elsewhere; the
administration speaks French and wears the site's name and look."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model

from oasis.api.views import api

pytestmark = pytest.mark.django_db


def test_the_api_documentation_lists_every_route_in_french(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert '<html lang="fr"' in html and "Documentation de l'API" in html
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert path in html and operation["summary"] in html, path
            assert method.upper() in html
    for name in schema["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    # Nothing of Swagger UI, nothing fetched from another site, and HTTP statuses said in French.
    assert "swagger" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<footer")[0].split("</header>")[-1])
    assert "Not Found" not in html and "Introuvable, ou pas visible avec ce compte" in html
    assert "levels to keep" not in html
    assert "<code>commune,epci</code>" in html  # the docstrings' `code` spans


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("root@oasis.test", "root@oasis.test", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_the_administration_in_french_and_in_the_sites_look(client, admin_client, national):
    html = unescape(admin_client.get("/admin/").content.decode())
    assert "Administration d'OASIS" in html and "oasis/admin.css" in html and "République<br>Française" in html
    for french in (
        "Comptes et rôles",
        "Verrouillage des connexions",
        "File des tâches (base de données)",
        "Résultats des tâches",
    ):
        assert french in html, french
    for english in ("Tasks Database Backend", "Task Results", "Django administration", "Administration de Django"):
        assert english not in html, english
    form = unescape(admin_client.get("/admin/accounts/profile/add/").content.decode())
    assert "ARS — délégation départementale" in form and "Vienne (86)" in form
    assert "Rôle" in form and "Département" in form
    admin_client.logout()
    login = unescape(client.get("/admin/login/").content.decode())
    assert "<h1" in login and "Connexion à l'administration" in login


def test_the_administration_creates_a_delegation_by_departement(admin_client, national):
    from oasis.accounts.models import Profile

    agent = get_user_model().objects.create_user("dd79@ars.test", "dd79@ars.test")
    response = admin_client.post(
        "/admin/accounts/profile/add/",
        {"user": agent.pk, "role": "ars_dd", "departement": "79", "region": "", "collectivite_code": "", "organisation": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = Profile.objects.get(user=agent)
    assert (profile.role, profile.departement_id, profile.region_id) == ("ars_dd", "79", "75")  # the région from the département
    refused = admin_client.post(
        "/admin/accounts/profile/add/",
        {"user": get_user_model().objects.create_user("x@ars.test").pk, "role": "ars_dd", "departement": "", "region": "75"},
    )
    assert refused.status_code == 200 and "délégation départementale de l&#x27;ARS doit être rattaché" in refused.content.decode()
