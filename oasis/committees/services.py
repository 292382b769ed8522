"""Preparing, convening and holding a session of the comité régional de sélection. Every change is checked,
audited and done in one transaction; the decisions are applied to all the projects of the session at once, or to
none of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from oasis.accounts.enums import INVITED_ROLES, REGIONAL_ROLES, Role
from oasis.accounts.models import role_of
from oasis.audit.services import record
from oasis.committees.models import AGENDA_STAGES, AgendaItem, Session, SessionStatus
from oasis.formatting import date_longue
from oasis.notifications.enums import Event
from oasis.notifications.services import Message, notify
from oasis.projects.enums import COMMITTEE_DECISIONS, Stage
from oasis.projects.models import Project
from oasis.projects.perms import visible_projects
from oasis.projects.services import NotAllowed
from oasis.projects.stages import check_validation, move

NOT_ON_AGENDA_STAGE = (
    "« {project} » est à l'étape « {stage} » : seul un projet dont le projet de santé est déposé peut être inscrit."
)
CLOSED = "Cette séance est tenue : son ordre du jour et ses décisions ne changent plus."
NOT_CONVENED = "Convoquez d'abord la séance : les décisions se prennent en séance."
MISSING_DECISIONS = "Décisions manquantes pour : {projects}."
EMPTY_AGENDA = "L'ordre du jour est vide : inscrivez au moins un projet."
UNKNOWN_DECISION = "Décision inconnue : « {decision} »."
REASONS_REQUIRED = "Les motifs de la décision sont obligatoires."
APPLY_REFUSED = "Aucune décision n'a été appliquée : « {project} » : {error}"
BEFORE_SESSION = (
    "La séance a lieu le {date} : ses décisions ne peuvent être appliquées qu'à partir de ce jour. "
    "Si elle a été avancée, changez d'abord sa date."
)
SAME_DATE = "La séance est déjà fixée au {date}."


def visible_sessions(user: Any) -> QuerySet[Session]:
    """ARS, CPAM and Préfecture: the sessions of their région; the Département and the ARS's délégation
    départementale: those that examine one of the département's projects and those they sit in; URPS and Ordres:
    those they sit in; administrators: all. Which items of a session a user reads is ``readable_items``."""
    role = role_of(user)
    sessions = Session.objects.all()
    if role == Role.ADMINISTRATEUR:
        return sessions
    profile = getattr(user, "profile", None)
    if profile is None:
        return sessions.none()
    if role in (Role.ARS, Role.CPAM, Role.PREFECTURE):
        return sessions.filter(region_id=profile.region_id)
    if role in (Role.DEPARTEMENT, Role.ARS_DD):
        return sessions.filter(Q(items__project__departement_id=profile.departement_id) | Q(members=user)).distinct()
    if role in INVITED_ROLES:
        return sessions.filter(region_id=profile.region_id, members=user)
    return sessions.none()


def readable_items(user: Any, session: Session) -> QuerySet[AgendaItem]:
    """The items of ``session`` whose file (and part of the dossier and minutes) ``user`` may read, once they see
    the session (``visible_sessions``, which the pages check first).

    The project rule (``projects.perms.visible_projects``): an item is read by whoever may read its project — the
    administrators, the ARS and CPAM of the région, the Département of the project, its invited partners, its
    collectivité. The members of the session read every item on its agenda: the ARS named them to judge those
    projects. Seeing a session (``visible_sessions``) is not enough: a Département sees the sessions that examine
    one of its projects, and reads that project's file only.
    """
    items = session.items.all()
    if session.members.filter(pk=user.pk).exists():
        return items
    return items.filter(project__in=visible_projects(user))


def can_create(user: Any) -> bool:
    """The comité is the région's: its head office prepares and holds it (not a délégation départementale)."""
    return role_of(user) in (Role.ADMINISTRATEUR, Role.ARS)


def can_manage(user: Any, session: Session) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATEUR:
        return True
    return role == Role.ARS and user.profile.region_id == session.region_id


def _require_manage(user: Any, session: Session) -> None:
    if not can_manage(user, session):
        raise NotAllowed("Seule l'ARS de la région prépare et tient le comité.")


def _require_open(session: Session) -> None:
    if session.status == SessionStatus.TENUE:
        raise ValueError(CLOSED)


def eligible_members(region_id: str) -> QuerySet[Any]:
    """Accounts that may sit: the région's ARS, CPAM, URPS, Ordres, Préfecture, and its Départements' officers."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(profile__role__in=REGIONAL_ROLES, profile__region_id=region_id)
            | Q(profile__role=Role.DEPARTEMENT, profile__departement__region_id=region_id)
        )
        .select_related("profile")
        .order_by("profile__role", "profile__organisation", "email")
    )


def eligible_projects(session: Session) -> QuerySet[Project]:
    """Projects of the session's région whose projet de santé is filed, not yet on its agenda."""
    return (
        Project.objects.filter(region_id=session.region_id, stage__in=AGENDA_STAGES)
        .exclude(committee_items__session=session)
        .select_related("commune_principale")
        .order_by("nom")
    )


@dataclass
class SessionData:
    date: date
    copresident_ars: str
    copresident_prefecture: str
    lieu: str = ""
    member_ids: list[int] = field(default_factory=list)
    external_members: str = ""


def _members(region_id: str, member_ids: list[int]) -> list[Any]:
    members = list(eligible_members(region_id).filter(pk__in=member_ids))
    if len(members) != len(set(member_ids)):
        raise ValueError("Un des membres choisis ne peut pas siéger au comité de cette région.")
    return members


def create_session(user: Any, region_id: str, data: SessionData) -> Session:
    if not can_create(user) or (role_of(user) == Role.ARS and user.profile.region_id != region_id):
        raise NotAllowed("Seule l'ARS de la région crée les séances de son comité.")
    members = _members(region_id, data.member_ids)
    with transaction.atomic():
        session = Session.objects.create(
            region_id=region_id,
            date=data.date,
            lieu=data.lieu.strip(),
            copresident_ars=data.copresident_ars.strip(),
            copresident_prefecture=data.copresident_prefecture.strip(),
            external_members=data.external_members.strip(),
            created_by=user,
        )
        session.members.set(members)
        record(user, "comite.creation", session, {"date": data.date.isoformat(), "membres": [m.pk for m in members]})
    return session


def add_to_agenda(user: Any, session: Session, project_id: int) -> AgendaItem:
    _require_manage(user, session)
    _require_open(session)
    project = Project.objects.filter(pk=project_id, region_id=session.region_id).first()
    if project is None:
        raise ValueError("Projet introuvable dans la région de ce comité.")
    if project.stage not in AGENDA_STAGES:
        raise ValueError(NOT_ON_AGENDA_STAGE.format(project=project.nom, stage=Stage(project.stage).label))
    if session.items.filter(project=project).exists():
        raise ValueError(f"« {project.nom} » est déjà inscrit à l'ordre du jour.")
    with transaction.atomic():
        last = session.items.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem.objects.create(session=session, project=project, order=last + 1)
        record(user, "comite.ordre_du_jour.ajout", session, {"projet": project.pk})
    return item


def remove_from_agenda(user: Any, session: Session, item_id: int) -> None:
    _require_manage(user, session)
    _require_open(session)
    item = session.items.filter(pk=item_id).first()
    if item is None:
        raise ValueError("Ce projet n'est pas à l'ordre du jour.")
    with transaction.atomic():
        record(user, "comite.ordre_du_jour.retrait", session, {"projet": item.project_id})
        item.delete()


def convene(user: Any, session: Session) -> None:
    """Send the invitations; the projects whose projet de santé is filed move to the committee stage."""
    _require_manage(user, session)
    if session.status != SessionStatus.PREPARATION:
        raise ValueError("Cette séance est déjà convoquée.")
    items = list(session.items.select_related("project"))
    if not items:
        raise ValueError(EMPTY_AGENDA)
    with transaction.atomic():
        for item in items:
            if item.project.stage == Stage.DEPOSE:
                move(user, item.project, Stage.COMITE, f"Inscrit à l'ordre du jour du comité du {date_longue(session.date)}")
        session.status, session.convened_at = SessionStatus.CONVOQUEE, timezone.now()
        session.save(update_fields=["status", "convened_at"])
        record(user, "comite.convocation", session, {"projets": [item.project_id for item in items]})
        projects = ", ".join(item.project.nom for item in items)
        notify(
            session.members.all(),
            Message(
                Event.SEANCE,
                f"Convocation au comité régional de sélection du {date_longue(session.date)}",
                f"Lieu : {session.lieu or 'à préciser'}.\nOrdre du jour : {projects}.",
                reverse("committee_detail", args=[session.pk]),
                f"seance:{session.pk}",
            ),
        )


def record_decision(user: Any, session: Session, item_id: int, decision: str, reasons: str, derogation: str = "") -> AgendaItem:
    """The committee's decision on one project; a validation is checked against the cahier des charges now, so that
    applying the decisions later cannot fail on it."""
    _require_manage(user, session)
    _require_open(session)
    if session.status != SessionStatus.CONVOQUEE:
        raise ValueError(NOT_CONVENED)
    item = session.items.select_related("project").filter(pk=item_id).first()
    if item is None:
        raise ValueError("Ce projet n'est pas à l'ordre du jour.")
    if decision not in COMMITTEE_DECISIONS:
        raise ValueError(UNKNOWN_DECISION.format(decision=decision))
    if not reasons.strip():
        raise ValueError(REASONS_REQUIRED)
    derogation = derogation.strip() if decision == Stage.VALIDE else ""
    unmet = check_validation(item.project, derogation) if decision == Stage.VALIDE else []
    with transaction.atomic():
        item.decision, item.reasons, item.derogation = decision, reasons.strip(), derogation if unmet else ""
        item.save(update_fields=["decision", "reasons", "derogation"])
        record(user, "comite.decision", session, {"projet": item.project_id, "decision": decision, "derogation": bool(unmet)})
    return item


def reschedule(user: Any, session: Session, new_date: date) -> None:
    """Move the session to another day (until its decisions are applied); the audit keeps both dates, and the members
    of a convened session are told."""
    _require_manage(user, session)
    _require_open(session)
    if new_date == session.date:
        raise ValueError(SAME_DATE.format(date=date_longue(new_date)))
    before = session.date
    with transaction.atomic():
        session.date = new_date
        session.save(update_fields=["date"])
        record(user, "comite.date", session, {"avant": before.isoformat(), "apres": new_date.isoformat()})
        if session.status == SessionStatus.CONVOQUEE:
            notify(
                session.members.all(),
                Message(
                    Event.SEANCE,
                    f"Comité régional de sélection déplacé au {date_longue(new_date)}",
                    f"La séance prévue le {date_longue(before)} aura lieu le {date_longue(new_date)}.\n"
                    f"Lieu : {session.lieu or 'à préciser'}.",
                    reverse("committee_detail", args=[session.pk]),
                    f"seance:{session.pk}:date:{new_date.isoformat()}",
                ),
            )


def apply_decisions(user: Any, session: Session, today: date | None = None) -> int:
    """Move every project of the agenda to the committee's decision, all or none; the session is then held. Not before
    the session's day (``today``: the local date by default)."""
    _require_manage(user, session)
    _require_open(session)
    if session.status != SessionStatus.CONVOQUEE:
        raise ValueError(NOT_CONVENED)
    if (today or timezone.localdate()) < session.date:
        raise ValueError(BEFORE_SESSION.format(date=date_longue(session.date)))
    items = list(session.items.select_related("project"))
    undecided = [item.project.nom for item in items if not item.decision]
    if undecided:
        raise ValueError(MISSING_DECISIONS.format(projects=", ".join(undecided)))
    reason = f"Comité régional de sélection du {date_longue(session.date)}"
    with transaction.atomic():
        for item in items:
            try:
                move(user, item.project, item.decision, f"{reason} : {item.reasons}", item.derogation)
            except ValueError as error:  # leaving the block undoes the moves already made
                raise ValueError(APPLY_REFUSED.format(project=item.project.nom, error=error)) from error
        session.status, session.applied_at = SessionStatus.TENUE, timezone.now()
        session.save(update_fields=["status", "applied_at"])
        record(user, "comite.decisions_appliquees", session, {"projets": {str(i.project_id): i.decision for i in items}})
    return len(items)
