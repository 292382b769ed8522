"""The address a request comes from, behind as many trusted reverse proxies as the deployment declares."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or behind ``OASIS_PROXIES_DE_CONFIANCE`` proxies the address the outermost one saw.

    Each trusted proxy appends the address it received from to ``X-Forwarded-For``: the client is the entry that
    many places from the end. Entries before it were written by the client and are not trusted.
    """
    proxies = settings.OASIS_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))
