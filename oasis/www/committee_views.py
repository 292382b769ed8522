"""Sessions of the comité régional de sélection: thin views over oasis.committees.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import history
from oasis.committees import services
from oasis.committees.files import project_file
from oasis.committees.forms import DecisionForm, RescheduleForm, SessionForm
from oasis.committees.models import AgendaItem, Session, SessionStatus
from oasis.concurrency import EditConflict, read_token, refuse_if_record_changed
from oasis.projects.services import NotAllowed
from oasis.projects.stages import NotConforming
from oasis.territories.models import Region
from oasis.www.downloads import pdf_file
from oasis.www.messages import confirmed, form_errors


def _session(request: HttpRequest, pk: int) -> Session:
    """The session if the user may see it; 404 otherwise."""
    return get_object_or_404(services.visible_sessions(request.user).select_related("region"), pk=pk)


OTHERS_HIDDEN = (
    "Cette séance examine aussi {count} autre(s) projet(s) que vous ne suivez pas : "
    "ni leur dossier ni leur décision ne figurent ici."
)
NONE_READABLE = "Aucun projet de cette séance ne vous est ouvert."


def _others(session: Session, readable: int) -> str:
    count = session.items.count() - readable
    return OTHERS_HIDDEN.format(count=count) if count else ""


def _readable(request: HttpRequest, session: Session) -> tuple[list[AgendaItem], str]:
    """The items the user may read, and a word on the others the session examines; 404 when they read none."""
    items = list(services.readable_items(request.user, session).select_related("project__commune_principale"))
    if not items:
        raise Http404(NONE_READABLE)
    return items, _others(session, len(items))


def _member_label(user: Any) -> str:
    profile = user.profile
    return f"{profile.organisation or profile.scope_label} — {profile.get_role_display()} ({user.email})"


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    sessions = services.visible_sessions(request.user).select_related("region").prefetch_related("items")
    return render(request, "www/committees/list.html", {"sessions": sessions, "can_create": services.can_create(request.user)})


def _region_of(request: HttpRequest) -> str | None:
    if role_of(request.user) == Role.ARS:
        return str(request.user.profile.region_id)  # type: ignore[union-attr]
    return request.POST.get("region") or request.GET.get("region") or None


@login_required
def committee_create(request: HttpRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise PermissionDenied("Seule l'ARS crée les séances du comité régional de sélection.")
    region_id = _region_of(request)
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    members = [(user.pk, _member_label(user)) for user in services.eligible_members(region.pk)] if region else []
    form = SessionForm(request.POST or None, members=members)
    if request.method == "POST" and region is not None and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                request.user,
                region.pk,
                services.SessionData(
                    date=data["date"],
                    lieu=data["lieu"],
                    copresident_ars=data["copresident_ars"],
                    copresident_prefecture=data["copresident_prefecture"],
                    member_ids=[int(pk) for pk in data["members"]],
                    external_members=data["external_members"],
                ),
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return confirmed(
                request, "Séance créée : inscrivez les projets à son ordre du jour.", redirect("committee_detail", session.pk)
            )
    context = {"form": form, "region": region, "regions": Region.objects.order_by("nom") if region is None else []}
    return render(request, "www/committees/form.html", context, status=400 if form.errors else 200)


DECISION_LABELS = {"decision": "Décision", "reasons": "Motifs", "derogation": "Dérogation au cahier des charges"}


def _decision_edited(item: AgendaItem) -> dict[str, str]:
    """The fields of an item's decision form, as stored."""
    return {"decision": item.decision, "reasons": item.reasons, "derogation": item.derogation}


def _decision_form(item: AgendaItem, data: Any = None) -> DecisionForm:
    """The decision form of one item: what was recorded, or what was just sent (``data``)."""
    return DecisionForm(data, initial=_decision_edited(item), auto_id=f"%s-{item.pk}")


@login_required
def committee_detail(
    request: HttpRequest,
    pk: int,
    error: str = "",
    sent: DecisionForm | None = None,
    sent_item: int | None = None,
    date_form: RescheduleForm | None = None,
    conflict: EditConflict | None = None,
) -> HttpResponse:
    """The session; after a refusal, ``error`` above and the form that was sent (``sent`` for item ``sent_item``, or
    ``date_form``) shown again as typed, with the reason beside its field; after a decision refused as changed
    meanwhile (``conflict``), the input beside what is stored."""
    session = _session(request, pk)
    manage = services.can_manage(request.user, session)
    items = list(services.readable_items(request.user, session).select_related("project__commune_principale"))
    for item in items:
        edited = sent is not None and item.pk == sent_item
        # The version the form was read at: kept as sent after a refusal, the newer one after a conflict.
        read = conflict.token if edited and conflict else request.POST.get("lu") if edited else None
        item.read = read or read_token(_decision_edited(item))  # type: ignore[attr-defined]
        item.conflict = conflict if edited else None  # type: ignore[attr-defined]
    context = {
        "session": session,
        "items": [(item, sent if sent is not None and item.pk == sent_item else _decision_form(item)) for item in items],
        "others": _others(session, len(items)),
        "members": session.members.select_related("profile"),
        "external_members": [line for line in session.external_members.splitlines() if line.strip()],
        "can_manage": manage,
        "open": session.status != SessionStatus.TENUE,
        "eligible": services.eligible_projects(session) if manage and session.status == SessionStatus.PREPARATION else [],
        "date_form": date_form or RescheduleForm(initial={"date": session.date}),
        "before_session": timezone.localdate() < session.date,
        "error": error,
    }
    return render(request, "www/committees/detail.html", context, status=409 if conflict else 400 if error else 200)


def _apply(request: HttpRequest, pk: int, change: Any, done: str) -> HttpResponse:
    session = _session(request, pk)
    try:
        change(session)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return committee_detail(request, pk, error=str(error))
    return confirmed(request, done, redirect("committee_detail", session.pk))


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project_id = int(request.POST.get("project", ""))
    except ValueError:
        return committee_detail(request, pk, error="Choisissez le projet à inscrire.")
    return _apply(request, pk, lambda s: services.add_to_agenda(request.user, s, project_id), "Projet inscrit à l'ordre du jour.")


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    return _apply(
        request, pk, lambda s: services.remove_from_agenda(request.user, s, item_id), "Projet retiré de l'ordre du jour."
    )


@login_required
@require_POST
def committee_convene(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply(request, pk, lambda s: services.convene(request.user, s), "Séance convoquée : les membres sont avertis.")


@login_required
@require_POST
def committee_decide(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    session = _session(request, pk)
    form = DecisionForm(request.POST, auto_id=f"%s-{item_id}")
    if form.is_valid():
        data = form.cleaned_data

        def decide() -> None:
            # The check runs in the transaction that records the decision, the item's row locked until then.
            with transaction.atomic():
                project_id = session.items.filter(pk=item_id).values_list("project_id", flat=True).first()
                refuse_if_record_changed(
                    AgendaItem.objects.filter(session=session),
                    item_id,
                    request.POST.get("lu"),
                    _decision_edited,
                    {name: data[name] for name in DECISION_LABELS},
                    DECISION_LABELS,
                    history(session).filter(action="comite.decision", details__projet=project_id),
                    {"decision": DecisionForm.base_fields["decision"].choices},  # type: ignore[attr-defined]
                )
                services.record_decision(request.user, session, item_id, data["decision"], data["reasons"], data["derogation"])

        try:
            decide()
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except EditConflict as conflict:
            return committee_detail(request, pk, error=str(conflict), sent=form, sent_item=item_id, conflict=conflict)
        except NotConforming as error:
            form.add_error("derogation", str(error))
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return confirmed(request, "Décision enregistrée.", redirect("committee_detail", session.pk))
    return committee_detail(request, pk, error=form_errors(form), sent=form, sent_item=item_id)


@login_required
@require_POST
def committee_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.reschedule(request.user, session, form.cleaned_data["date"])
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except ValueError as error:
            form.add_error("date", str(error))
        else:
            return confirmed(request, "Date de la séance changée.", redirect("committee_detail", session.pk))
    return committee_detail(request, pk, error=form_errors(form), date_form=form)


@login_required
@require_POST
def committee_apply(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        count = services.apply_decisions(request.user, session)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return committee_detail(request, pk, error=str(error))
    messages.success(request, f"Décisions appliquées aux {count} projet(s) : la séance est tenue.")
    return redirect("committee_detail", session.pk)


@login_required
def committee_file(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    session = _session(request, pk)
    items = services.readable_items(request.user, session).select_related("project__commune_principale")
    item = get_object_or_404(items, pk=item_id)
    return render(request, "www/committees/files.html", {"session": session, "files": [project_file(item)], "for_pdf": False})


@login_required
def committee_files_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    items, others = _readable(request, session)
    files = [project_file(item) for item in items]
    context = {"session": session, "files": files, "others": others, "for_pdf": True}
    html = render_to_string("www/committees/files.html", context)
    return pdf_file(html, f"dossier-comite-{session.date:%Y-%m-%d}.pdf", request)


@login_required
def committee_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    items, others = _readable(request, session)
    context = {
        "session": session,
        "items": items,
        "others": others,
        "members": session.members.select_related("profile"),
        "external_members": [line for line in session.external_members.splitlines() if line.strip()],
        "for_pdf": True,
    }
    html = render_to_string("www/committees/minutes.html", context)
    return pdf_file(html, f"proces-verbal-comite-{session.date:%Y-%m-%d}.pdf", request)
