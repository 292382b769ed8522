"""A project's operating budget: running costs shared by the professionals beside the ACI income, each one's share;
a CSV that opens in French Excel."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from oasis.concurrency import EditConflict
from oasis.formatting import montant
from oasis.projects import budget, perms
from oasis.projects.forms import BudgetForm
from oasis.projects.models import Project
from oasis.projects.services import NotAllowed
from oasis.www.downloads import csv_table
from oasis.www.messages import confirmed, form_errors, kept_input
from oasis.www.projects_views import _project


def _initial(project: Project, aci: str | None) -> dict[str, object]:
    sheet = budget.sheet(project)
    values: dict[str, object] = {"lu": budget.budget_token(project), "aci_annuel": sheet.aci, "aci_source": sheet.aci_source}
    stored = sheet.budget
    for name, _label in budget.CHARGES:
        values[name] = getattr(stored, name) if stored is not None else Decimal("0.00")
    values["autres_libelle"] = stored.autres_libelle if stored is not None else ""
    values |= {f"part-{pk}": parts for pk, parts in budget.parts_of(project).items()}
    if aci:  # carried over from the ACI simulator
        try:
            values["aci_annuel"] = Decimal(aci.replace(",", "."))
            values["aci_source"] = "Simulateur ACI d'OASIS"
        except ArithmeticError:
            pass
    return values


def _page(
    request: HttpRequest,
    project: Project,
    form: BudgetForm | None = None,
    error: str = "",
    conflict: EditConflict | None = None,
) -> HttpResponse:
    members = list(project.team.all())
    can_edit = perms.can_edit_budget(request.user, project)
    if form is None and can_edit:
        form = BudgetForm(initial=_initial(project, request.GET.get("aci")), members=members)
    return render(
        request,
        "www/project_budget.html",
        {
            "project": project,
            "tab": "budget",
            "sheet": budget.sheet(project),
            "can_edit": can_edit,
            "form": form,
            "part_fields": [(member, form[f"part-{member.pk}"]) for member in members] if form is not None else [],
            "error": error,
            "conflict": conflict,
        },
        status=409 if conflict else 400 if error else 200,
    )


@login_required
def project_budget(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _project(request, pk))


@login_required
@require_POST
def project_budget_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not perms.can_edit_budget(request.user, project):
        raise PermissionDenied(budget.NOT_EDITOR)
    members = list(project.team.all())
    form = BudgetForm(request.POST, members=members)
    if not form.is_valid():
        return _page(request, project, form, form_errors(form))
    data = form.cleaned_data
    entry = budget.BudgetEntry(
        **{name: data[name] or Decimal("0") for name, _ in budget.CHARGES},
        autres_libelle=data["autres_libelle"],
        aci_annuel=data["aci_annuel"] or Decimal("0"),
        aci_source=data["aci_source"],
        parts=form.parts(),
    )
    try:
        budget.save_budget(request.user, project, entry, data["lu"])
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except EditConflict as conflict:
        return _page(request, project, BudgetForm(kept_input(request, conflict), members=members), str(conflict), conflict)
    except ValueError as refused:
        form.add_error(None, str(refused))
        return _page(request, project, form, str(refused))
    total = budget.sheet(project).total_charges
    return confirmed(
        request, f"Budget de fonctionnement enregistré ({montant(total)} de charges par an).", redirect("project_budget", pk)
    )


@login_required
def project_budget_csv(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    header, rows = budget.csv_rows(project)
    return csv_table(request, f"budget-fonctionnement-projet-{project.pk}.csv", header, rows)
