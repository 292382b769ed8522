"""The funding catalogue: the national tools and each Département's own, kept by their owners."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.projects import catalogue, perms
from oasis.projects.enums import Carrier
from oasis.projects.forms import FundingToolForm
from oasis.projects.models import FundingTool
from oasis.territories.models import Departement
from oasis.www.messages import confirmed

CATALOGUE_ROLES = (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.ARS)


@login_required
def funding_catalogue(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in CATALOGUE_ROLES:
        raise Http404
    today = timezone.localdate()
    tools = list(catalogue.catalogue(request.user))
    for tool in tools:
        tool.validite = tool.validity(today)  # type: ignore[attr-defined]
        tool.editable = perms.can_edit_tool(request.user, tool)  # type: ignore[attr-defined]
    return render(
        request,
        "www/funding_catalogue.html",
        {
            "tools": tools,
            "carriers": dict(Carrier.choices),
            "can_add": perms.can_manage_catalogue(request.user),
            "departement": perms.catalogue_departement(request.user),
        },
    )


def _tool_form_page(request: HttpRequest, form: FundingToolForm, tool: FundingTool | None, error: str = "") -> HttpResponse:
    return render(
        request,
        "www/funding_tool_form.html",
        {
            "form": form,
            "tool": tool,
            "error": error,
            "is_admin": role_of(request.user) == Role.ADMINISTRATEUR,
            "departement": (tool.departement if tool else None)
            or Departement.objects.filter(pk=perms.catalogue_departement(request.user)).first(),
        },
        status=400 if error or form.errors else 200,
    )


@login_required
def funding_tool_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a tool to the catalogue (``pk`` None) or change one the user owns."""
    if not perms.can_manage_catalogue(request.user):
        raise PermissionDenied("Votre rôle ne permet pas de modifier le catalogue des outils financiers.")
    tool = get_object_or_404(FundingTool, pk=pk) if pk else None
    if tool is not None and not perms.can_edit_tool(request.user, tool):
        raise PermissionDenied(catalogue.TOOL_IMPORTED if tool.aide_id else catalogue.TOOL_NOT_YOURS)
    form = FundingToolForm(request.POST or None, instance=tool)
    if request.method != "POST" or not form.is_valid():
        return _tool_form_page(request, form, tool)
    departement = None
    if role_of(request.user) == Role.ADMINISTRATEUR:
        departement = request.POST.get("departement", "").strip().upper() or None
    try:
        catalogue.save_tool(request.user, form.save(commit=False), departement)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return _tool_form_page(request, form, tool, str(error))
    return confirmed(request, "Outil financier enregistré.", redirect("funding_catalogue"))
