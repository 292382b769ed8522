"""Pages computed on the spot, limited per client address for visitors who are not signed in
(``oasis.accounts.throttling``): over the limit, the site's 429 page says why and when to come back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from oasis.accounts.addresses import client_address
from oasis.accounts.throttling import TooManyRequests, heavy_request
from oasis.www.errors import refused

View = Callable[..., HttpResponse]


def heavy_page(view: View) -> View:
    """Decorate a page that computes: a signed-in user goes through; a visitor counts against their address."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            with heavy_request(client_address(request)):
                return view(request, *args, **kwargs)
        except TooManyRequests as refusal:
            response = refused(request, 429, str(refusal))
            response["Retry-After"] = str(refusal.retry_after)
            return response

    return limited
