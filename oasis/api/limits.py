"""API operations computed on the spot, limited per client address for callers who are not signed in
(``oasis.accounts.throttling``): over the limit, 429 with ``Retry-After`` and ``{"detail": ...}`` like the API's other
refusals. ``@decorate_view(heavy_operation)`` under the route."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from oasis.accounts.throttling import for_visitors

Run = Callable[..., HttpResponse]

HEAVY = (
    f"Calculé à la demande : sans connexion, {settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE} calculs à la fois et "
    f"{settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE} par minute au plus par adresse ; au-delà, 429 avec l'en-tête "
    "`Retry-After`."
)


def heavy_operation(run: Run) -> Run:
    @wraps(run)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return for_visitors(
            request,
            lambda: run(request, *args, **kwargs),
            lambda refusal: JsonResponse({"detail": str(refusal)}, status=429, json_dumps_params={"ensure_ascii": False}),
        )

    return limited
