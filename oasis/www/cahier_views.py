"""The régions' cahiers des charges, one per kind of structure (maison de santé, multi-site / pôle, centre de santé),
and their FIR rules: every signed-in user reads which rules apply where; the ARS of a région enters its own from its
official text, or goes back to the national default."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.concurrency import EditConflict
from oasis.projects import cahiers, fir
from oasis.projects.enums import ProjectKind
from oasis.projects.forms import CahierForm, FirForm
from oasis.projects.models import CAHIER_KINDS, CahierDesCharges, FirRules
from oasis.projects.services import NotAllowed
from oasis.territories.models import Region
from oasis.www.messages import confirmed, form_errors, kept_input

KINDS = [(kind.value, kind.label) for kind in CAHIER_KINDS]


def _kind(kind: str) -> str:
    if kind not in CAHIER_KINDS:
        raise Http404("Type de structure sans cahier des charges.")
    return kind


@login_required
def cahier_list(request: HttpRequest) -> HttpResponse:
    own: dict[str, dict[str, CahierDesCharges]] = {}
    for cahier in CahierDesCharges.objects.filter(region__isnull=False):
        own.setdefault(cahier.region_id or "", {})[cahier.kind] = cahier
    firs = {rules.region_code: rules for rules in FirRules.objects.all()}
    rows = [
        (region, [(kind, own.get(region.pk, {}).get(kind)) for kind, _ in KINDS], firs.get(region.pk))
        for region in Region.objects.order_by("nom")
    ]
    defaults = [(label, cahiers.national_default(kind)) for kind, label in KINDS]
    return render(request, "www/cahiers/list.html", {"rows": rows, "kinds": KINDS, "defaults": defaults})


def _initial(cahier: CahierDesCharges | None, region: Region, kind: str) -> dict[str, object]:
    base = cahier or cahiers.national_default(kind)
    title = f"Cahier des charges de l'ARS {region.nom} ({cahiers.kind_label(kind)})"
    if base is None:
        return {"titre": title}
    return {
        "titre": base.titre if cahier else title,
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
    kind: str = ProjectKind.MSP,
) -> HttpResponse:
    cahier = cahiers.regional(region.pk, kind)
    can_edit = cahiers.can_edit(request.user, region.pk)
    context = {
        "region": region,
        "kind": kind,
        "kind_label": cahiers.kind_label(kind),
        "kinds": KINDS,
        "cahier": cahier,
        "applied": cahier or cahiers.national_default(kind),
        "can_edit": can_edit,
        "form": form
        or (CahierForm(initial=_initial(cahier, region, kind) | {"lu": cahiers.rules_token(cahier)}) if can_edit else None),
        "error": error,
        "conflict": conflict,
    }
    return render(request, "www/cahiers/detail.html", context, status=409 if conflict else 400 if error else 200)


@login_required
def cahier_detail(request: HttpRequest, region_code: str, kind: str = ProjectKind.MSP) -> HttpResponse:
    return _page(request, get_object_or_404(Region, pk=region_code), kind=_kind(kind))


@login_required
@require_POST
def cahier_save(request: HttpRequest, region_code: str, kind: str = ProjectKind.MSP) -> HttpResponse:
    region = get_object_or_404(Region, pk=region_code)
    kind = _kind(kind)
    if not cahiers.can_edit(request.user, region.pk):
        raise PermissionDenied("Seule l'ARS de la région fixe son cahier des charges.")
    form = CahierForm(request.POST)
    if not form.is_valid():
        return _page(request, region, form, form_errors(form), kind=kind)
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
        cahiers.save_regional(request.user, region.pk, rules, data["lu"], kind)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        return _page(request, region, CahierForm(kept_input(request, conflict)), str(conflict), conflict, kind)
    except ValueError as error:
        return _page(request, region, form, str(error), kind=kind)
    done = f"Cahier des charges de la région {region.nom} ({cahiers.kind_label(kind)}) enregistré."
    return confirmed(request, done, _detail_redirect(region, kind))


def _detail_redirect(region: Region, kind: str) -> HttpResponse:
    if kind == ProjectKind.MSP:
        return redirect("cahier_detail", region.pk)
    return redirect("cahier_kind_detail", region.pk, kind)


@login_required
@require_POST
def cahier_remove(request: HttpRequest, region_code: str, kind: str = ProjectKind.MSP) -> HttpResponse:
    region = get_object_or_404(Region, pk=region_code)
    kind = _kind(kind)
    try:
        cahiers.remove_regional(request.user, region.pk, kind)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return _page(request, region, error=str(error), kind=kind)
    done = f"La région {region.nom} applique de nouveau le cahier des charges par défaut ({cahiers.kind_label(kind)})."
    return confirmed(request, done, _detail_redirect(region, kind))


# --- The région's FIR -----------------------------------------------------------------------------------------------


def _fir_initial(region: Region) -> dict[str, object]:
    rules = fir.rules_for(region.pk)
    if rules is None:
        return {
            "titre": f"FIR de l'ARS {region.nom} — maisons et centres de santé",
            "types_structure": [ProjectKind.MSP, ProjectKind.MSP_MULTISITE, ProjectKind.CENTRE_DE_SANTE],
            "demarrage_sous_dense": True,
            "lu": fir.rules_token(None),
        }
    return {
        "titre": rules.titre,
        "source": rules.source,
        "types_structure": rules.types_structure,
        "montant_etude": _whole(rules.montant_etude),
        "montant_demarrage": _whole(rules.montant_demarrage),
        "demarrage_sous_dense": rules.demarrage_sous_dense,
        "conditions": rules.conditions,
        "pieces": fir.pieces_as_text(rules),
        "lu": fir.rules_token(rules),
    }


def _whole(amount: Decimal | None) -> Decimal | int | None:
    """« 20000 » in the form rather than « 20000.00 » for a whole amount of euros."""
    return int(amount) if amount is not None and amount == int(amount) else amount


def _fir_page(
    request: HttpRequest, region: Region, form: FirForm | None = None, error: str = "", conflict: EditConflict | None = None
) -> HttpResponse:
    can_edit = cahiers.can_edit(request.user, region.pk)
    rules = fir.rules_for(region.pk)
    context = {
        "region": region,
        "kinds": KINDS,
        "rules": rules,
        "funded": [ProjectKind(kind).label for kind in rules.types_structure if kind in ProjectKind.values] if rules else [],
        "tools": fir.region_tools(region.pk),
        "can_edit": can_edit,
        "form": form or (FirForm(initial=_fir_initial(region)) if can_edit else None),
        "error": error,
        "conflict": conflict,
    }
    return render(request, "www/cahiers/fir.html", context, status=409 if conflict else 400 if error else 200)


@login_required
def fir_detail(request: HttpRequest, region_code: str) -> HttpResponse:
    return _fir_page(request, get_object_or_404(Region, pk=region_code))


@login_required
@require_POST
def fir_save(request: HttpRequest, region_code: str) -> HttpResponse:
    region = get_object_or_404(Region, pk=region_code)
    if not cahiers.can_edit(request.user, region.pk):
        raise PermissionDenied(cahiers.NOT_THE_REGIONS_ARS)
    form = FirForm(request.POST)
    if not form.is_valid():
        return _fir_page(request, region, form, form_errors(form))
    data = form.cleaned_data
    entry = fir.FirData(
        titre=data["titre"],
        source=data["source"],
        types_structure=list(data["types_structure"]),
        montant_etude=data["montant_etude"],
        montant_demarrage=data["montant_demarrage"],
        demarrage_sous_dense=data["demarrage_sous_dense"],
        conditions=data["conditions"],
        pieces_text=data["pieces"],
    )
    try:
        fir.save_rules(request.user, region.pk, entry, data["lu"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        return _fir_page(request, region, FirForm(kept_input(request, conflict)), str(conflict), conflict)
    except ValueError as error:
        return _fir_page(request, region, form, str(error))
    return confirmed(request, f"Règles du FIR de la région {region.nom} enregistrées.", redirect("fir_detail", region.pk))
