"""The régions' cahiers des charges: every signed-in user reads which rules apply where; the ARS of a région enters
its own from its official text, or goes back to the national default."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.concurrency import EditConflict
from oasis.projects import cahiers
from oasis.projects.forms import CahierForm
from oasis.projects.models import CahierDesCharges
from oasis.projects.services import NotAllowed
from oasis.territories.models import Region
from oasis.www.messages import confirmed, form_errors, kept_input


@login_required
def cahier_list(request: HttpRequest) -> HttpResponse:
    own = {cahier.region_id: cahier for cahier in CahierDesCharges.objects.filter(region__isnull=False)}
    rows = [(region, own.get(region.pk)) for region in Region.objects.order_by("nom")]
    return render(request, "www/cahiers/list.html", {"rows": rows, "default": cahiers.national_default()})


def _initial(cahier: CahierDesCharges | None, region: Region) -> dict[str, object]:
    base = cahier or cahiers.national_default()
    if base is None:
        return {"titre": f"Cahier des charges de l'ARS {region.nom}"}
    return {
        "titre": base.titre if cahier else f"Cahier des charges de l'ARS {region.nom}",
        "source": base.source if cahier else "",
        "min_generalistes": base.min_generalistes,
        "min_auxiliaires": base.min_auxiliaires,
        "salaries_moins_que_associes": base.salaries_moins_que_associes,
        "items": cahiers.items_as_text(base),
    }


def _page(
    request: HttpRequest,
    region: Region,
    form: CahierForm | None = None,
    error: str = "",
    conflict: EditConflict | None = None,
) -> HttpResponse:
    cahier = cahiers.regional(region.pk)
    can_edit = cahiers.can_edit(request.user, region.pk)
    context = {
        "region": region,
        "cahier": cahier,
        "applied": cahier or cahiers.national_default(),
        "can_edit": can_edit,
        "form": form
        or (CahierForm(initial=_initial(cahier, region) | {"lu": cahiers.rules_token(cahier)}) if can_edit else None),
        "error": error,
        "conflict": conflict,
    }
    return render(request, "www/cahiers/detail.html", context, status=409 if conflict else 400 if error else 200)


@login_required
def cahier_detail(request: HttpRequest, region_code: str) -> HttpResponse:
    return _page(request, get_object_or_404(Region, pk=region_code))


@login_required
@require_POST
def cahier_save(request: HttpRequest, region_code: str) -> HttpResponse:
    region = get_object_or_404(Region, pk=region_code)
    if not cahiers.can_edit(request.user, region.pk):
        raise PermissionDenied("Seule l'ARS de la région fixe son cahier des charges.")
    form = CahierForm(request.POST)
    if not form.is_valid():
        return _page(request, region, form, form_errors(form))
    data = form.cleaned_data
    rules = cahiers.RulesData(
        titre=data["titre"],
        source=data["source"],
        min_generalistes=data["min_generalistes"],
        min_auxiliaires=data["min_auxiliaires"],
        salaries_moins_que_associes=data["salaries_moins_que_associes"],
        items_text=data["items"],
    )
    try:
        cahiers.save_regional(request.user, region.pk, rules, data["lu"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        return _page(request, region, CahierForm(kept_input(request, conflict)), str(conflict), conflict)
    except ValueError as error:
        return _page(request, region, form, str(error))
    return confirmed(request, f"Cahier des charges de la région {region.nom} enregistré.", redirect("cahier_detail", region.pk))


@login_required
@require_POST
def cahier_remove(request: HttpRequest, region_code: str) -> HttpResponse:
    region = get_object_or_404(Region, pk=region_code)
    try:
        cahiers.remove_regional(request.user, region.pk)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return _page(request, region, error=str(error))
    done = f"La région {region.nom} applique de nouveau le cahier des charges par défaut."
    return confirmed(request, done, redirect("cahier_detail", region.pk))
