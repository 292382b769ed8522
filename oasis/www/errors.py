"""Error pages: 400, 403, 404 and 500 in the site's layout (DSFR), in French, never Django's own words.

A 404 says only that the page is not found: Django's messages (« No Project matches the given query. », the URL
patterns tried) never reach the user. A view whose 404 explains itself in the user's words raises ``Explained``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

CSRF_REFUSED = (
    "Le formulaire a expiré ou n'a pas été envoyé depuis OASIS : revenez à la page précédente, rechargez-la et "
    "recommencez. Si vous n'acceptez pas les cookies d'OASIS, autorisez-les : la connexion en a besoin."
)


class Explained(Http404):
    """A 404 whose message is written for the user (in French, without internal codes): the page shows it."""


def _page(request: HttpRequest | None, template: str, status: int, context: dict[str, Any] | None = None) -> HttpResponse:
    """The page in the site's layout; without the request's context when that context itself fails (a request with
    a forbidden host, a broken database), so that an error page never raises in turn."""
    page = loader.get_template(template)
    try:
        content = page.render(context or {}, request)
    except Exception:
        logger.exception("Page d'erreur %s rendue sans le contexte de la requête", status)
        content = page.render(context or {})
    return HttpResponse(content, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """OASIS's refusals say which role may act (PermissionDenied raised with a French message): shown."""
    return _page(request, "403.html", 403, {"detail": str(exception)})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404, {"detail": str(exception) if isinstance(exception, Explained) else ""})


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html is self-contained (no database, no context): it renders even when they are what failed."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, "403.html", 403, {"detail": CSRF_REFUSED})


TITLES = {
    400: "Requête invalide",
    409: "Action impossible pour l'instant",
    429: "Trop de demandes",
    503: "Service momentanément indisponible",
}


def refused(request: HttpRequest | None, status: int, message: str) -> HttpResponse:
    """A refusal that is no form's (a PDF the machine cannot render, a download without its parameters): the site's
    page with the reason, never a bare text."""
    return _page(request, "www/refused.html", status, {"titre": TITLES[status], "code": status, "explication": message})


class MethodNotAllowedPage:
    """A form's address opened directly (a GET on a view that only takes the form sent) answers Django's empty 405:
    shown in the site's layout instead, with what to do. The API keeps its own answers."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = _page(request, "405.html", 405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
