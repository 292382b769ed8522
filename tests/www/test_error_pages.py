"""Every error page is in the site's layout (DSFR header) and in French: 400 (a forged request), 403 (a role
refused, a forged form), 404 (never Django's « No Project matches the given query. » nor the URL patterns tried),
500; and the API's 404 in French too."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

from oasis.api.views import NOT_FOUND
from oasis.www import errors
from tests.projects.conftest import cast, make_user, project  # noqa: F401

pytestmark = pytest.mark.django_db

LAYOUT = 'class="fr-header"'
ENGLISH = ("matches the given query", "Not Found", "Bad Request", "Forbidden", "Server Error", "tried", "CSRF")


def assert_french_page(response, status: int, title: str) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert LAYOUT in page and f"<h1>{title}</h1>" in page and f"Erreur {status}" in page
    assert not [word for word in ENGLISH if word in page]
    return page


def test_a_project_outside_sight_is_a_generic_french_404(client, cast, project):  # noqa: F811
    client.force_login(cast["charente_maritime"])
    assert_french_page(client.get(f"/projets/{project.pk}/"), 404, "Page introuvable")
    client.force_login(cast["vienne"])
    assert_french_page(client.get("/projets/999999/"), 404, "Page introuvable")
    assert_french_page(client.get("/projets/999999/financement/"), 404, "Page introuvable")


def test_an_unknown_address_does_not_list_the_addresses_tried(client):
    page = assert_french_page(client.get("/nulle-part/"), 404, "Page introuvable")
    assert "nulle-part" not in page and "projets/&lt;int:pk&gt;" not in page


def test_an_explained_404_keeps_its_french_reason(client):
    page = assert_french_page(client.get("/territoires/set/99999/"), 404, "Page introuvable")
    assert "99999" in page


def test_a_forged_request_gets_the_french_400_page(client):
    # A host outside OASIS_ALLOWED_HOSTS is a SuspiciousOperation (DisallowedHost): Django answers 400.
    assert_french_page(client.get("/", HTTP_HOST="piege.example"), 400, "Requête invalide")


def test_a_role_refused_gets_the_french_403_page_with_the_reason(client, cast):  # noqa: F811
    client.force_login(cast["cpam_na"])
    page = assert_french_page(client.get("/projets/nouveau/"), 403, "Accès refusé")
    assert "Votre rôle ne permet pas de créer un projet." in page


def test_a_form_sent_without_its_csrf_token_gets_the_french_403_page(cast):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["vienne"])
    page = assert_french_page(client.post("/projets/nouveau/", {"nom": "X"}), 403, "Accès refusé")
    assert "Le formulaire a expiré" in page


def test_the_500_page_is_the_french_self_contained_one():
    handler = get_resolver().resolve_error_handler(500)
    assert handler is errors.server_error
    response = handler(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and LAYOUT in page and "<h1>Erreur inattendue</h1>" in page
    assert [get_resolver().resolve_error_handler(code) for code in (400, 403, 404)] == [
        errors.bad_request,
        errors.permission_denied,
        errors.page_not_found,
    ]


def test_the_api_404_is_in_french(client, cast, project):  # noqa: F811
    client.force_login(cast["charente_maritime"])
    response = client.get(f"/api/projets/{project.pk}")
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND}


def test_a_forms_address_opened_directly_gets_the_french_405_page(client, cast, project):  # noqa: F811
    client.force_login(cast["vienne"])
    response = client.get(f"/projets/{project.pk}/financement/lignes/")
    page = assert_french_page(response, 405, "Adresse d'un formulaire")
    assert "elle ne s'ouvre pas directement" in page and response["Allow"] == "POST"
