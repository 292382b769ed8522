"""Login lockout (django-axes counts the failures in the database, shared by all workers) and what a locked-out
attempt sees.

Two limits, over the last ``AXES_COOLOFF_TIME``:

- ``AXES_FAILURE_LIMIT`` failures for one account from one address lock that pair: someone else cannot lock a
  colleague out from another address, and one person's typos do not lock the office sharing their address;
- ``OASIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS`` failures from one address, all accounts together, lock the address:
  trying a few passwords on many accounts (password spraying) is slowed as well.

django-axes applies one limit to every lockout parameter (it compares the largest count with
``AXES_FAILURE_LIMIT``), and a successful login resets the counts of every parameter, so that an address counter
kept by axes would be emptied by the sprayer's own successful login. Hence a handler: axes keeps counting per
account and address (``AXES_LOCKOUT_PARAMETERS``), and the handler adds the address's total, which a successful
login leaves alone.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_MESSAGE = "Trop de tentatives de connexion pour ce compte depuis votre adresse : réessayez dans 15 minutes."
ADDRESS_LOCKED_MESSAGE = (
    "Trop de tentatives de connexion depuis votre adresse, tous comptes confondus : réessayez dans 15 minutes."
)


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off time, whatever the account."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class AddressLimitHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes ships no type hints
    """django-axes' database handler, plus the limit per address across accounts."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        if address_failures(request) >= settings.OASIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            request.oasis_address_locked = True
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    message = ADDRESS_LOCKED_MESSAGE if getattr(request, "oasis_address_locked", False) else LOCKED_MESSAGE
    if request.path.startswith("/admin/"):
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    return render(request, "www/login.html", {"form": AuthenticationForm(request), "locked": message}, status=429)
