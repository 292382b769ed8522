"""Pages computed on the spot, limited per client address for visitors who are not signed in
(``oasis.accounts.throttling``): over the limit, the site's 429 page says why and when to come back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from oasis.accounts.throttling import for_visitors
from oasis.www.errors import refused

View = Callable[..., HttpResponse]


def heavy_page(view: View) -> View:
    """Decorate a page that computes: a signed-in user goes through; a visitor counts against their address."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return for_visitors(request, lambda: view(request, *args, **kwargs), lambda refusal: refused(request, 429, str(refusal)))

    return limited
