"""Messages shown to users when a form is refused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict

from oasis.concurrency import EditConflict


def form_errors(form: Any) -> str:
    """Every error of a bound form on one line, each after its field's label (« Courriel : Saisissez … »)."""
    return " ".join(
        f"{form.fields[name].label if name in form.fields else 'Formulaire'} : {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


def confirmed(request: HttpRequest, text: str, response: HttpResponse) -> HttpResponse:
    """The response after a save, with the confirmation the next page shows (« Projet créé. »)."""
    messages.success(request, text)
    return response


def kept_input(request: HttpRequest, conflict: EditConflict) -> QueryDict:
    """The user's input as posted, to draw the form again after a conflict, carrying what is now stored as read:
    saving it again, knowing the other's change, is accepted."""
    data = request.POST.copy()
    data["lu"] = conflict.token
    return data
