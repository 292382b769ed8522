"""Recruitment pages: the aid schemes (the Département's, the national ones, Aides-territoires') and their configuration."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from oasis.accounts.models import role_of
from oasis.connectors.enums import AideStatus, Connector
from oasis.connectors.models import Aide
from oasis.connectors.runs import last_success
from oasis.recruitment import perms
from oasis.recruitment.enums import Profession
from oasis.recruitment.forms import SchemeForm
from oasis.recruitment.models import AidScheme
from oasis.recruitment.schemes import amount_text, commitment_text, save_scheme
from oasis.www.messages import confirmed
from oasis.www.recruitment_views import _departement_of, _require_manager, _run


def _published_aids(user: Any) -> QuerySet[Aide]:
    """The aids of Aides-territoires open to professionals, in the officer's département when they have one."""
    aides = Aide.objects.for_professionals().exclude(statut=AideStatus.RETIREE).order_by("date_limite", "nom")
    profile = getattr(user, "profile", None)
    if profile is not None and profile.departement_id:
        aides = aides.within_departement(profile.departement_id, profile.departement.region_id)
    return aides


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) is None:
        raise Http404
    today = timezone.localdate()
    local = list(AidScheme.objects.exclude(kind="nationale").select_related("departement"))
    national = list(AidScheme.objects.filter(kind="nationale"))
    for scheme in local + national:
        scheme.validite = scheme.validity(today)  # type: ignore[attr-defined]
        scheme.montant_texte = amount_text(scheme)  # type: ignore[attr-defined]
        scheme.engagement_texte = commitment_text(scheme)  # type: ignore[attr-defined]
    return render(
        request,
        "www/recruitment_schemes.html",
        {
            "local": local,
            "national": sorted(national, key=lambda s: (not s.validite.open, s.nom)),
            "aides": _published_aids(request.user),
            "last_aides_sync": last_success(Connector.AIDES_TERRITOIRES),
            "can_configure": perms.can_manage_candidates(request.user),
            "professions": dict(Profession.choices),
        },
    )


@login_required
def scheme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_manager(request)
    scheme = get_object_or_404(AidScheme, pk=pk) if pk else None
    if scheme is not None and not (perms.is_admin(request.user) or scheme.departement_id == _departement_of(request)):
        raise PermissionDenied("Ce dispositif n'est pas celui de votre département.")
    form = SchemeForm(request.POST or None, instance=scheme)
    departement = scheme.departement_id if scheme else _departement_of(request)
    if perms.is_admin(request.user) and request.method == "POST":
        departement = request.POST.get("departement", "").strip().upper() or departement
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        response = _run(
            lambda: save_scheme(request.user, saved, departement),
            lambda message: render(request, "www/recruitment_scheme_form.html", {"form": form, "error": message}, status=400),
            lambda: confirmed(request, "Dispositif d'aide enregistré.", redirect("schemes")),
        )
        return response
    return render(
        request,
        "www/recruitment_scheme_form.html",
        {"form": form, "scheme": scheme, "is_admin": perms.is_admin(request.user), "departement": departement},
        status=400 if form.errors else 200,
    )
