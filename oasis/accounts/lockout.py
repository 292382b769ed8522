"""What a locked-out login attempt sees (django-axes counts the failures in the database, shared by all workers)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_MESSAGE = "Trop de tentatives de connexion pour ce compte depuis votre adresse : réessayez dans 15 minutes."


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    if request.path.startswith("/admin/"):
        return HttpResponse(LOCKED_MESSAGE, status=429, content_type="text/plain; charset=utf-8")
    return render(request, "www/login.html", {"form": AuthenticationForm(request), "locked": LOCKED_MESSAGE}, status=429)
