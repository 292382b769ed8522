"""The stage machine of a project: which moves are allowed from where, the committee's validation against the
cahier des charges, the move itself (history, audit, notification, in one transaction) and the time spent per stage."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from django.db import transaction
from django.utils import timezone

from oasis.audit.services import record
from oasis.projects import notifications, perms
from oasis.projects.enums import FINAL, FORWARD, PAUSED, Stage
from oasis.projects.models import Project, ProjectTransition
from oasis.projects.services import NotAllowed


class InvalidTransition(ValueError):
    """The stage machine does not allow this move; the message lists the allowed ones."""


class NotConforming(ValueError):
    """The committee cannot validate a project that does not meet its région's cahier des charges without a recorded
    derogation; the message lists what is missing."""


NOT_CONFORMING = (
    "Le projet ne satisfait pas le cahier des charges « {cahier} » : {missing}. Le comité ne peut le valider "
    "qu'en motivant une dérogation, enregistrée au dossier."
)
NO_RULES_TO_VALIDATE = (
    "Aucun cahier des charges ne s'applique à ce projet : le comité ne peut le valider qu'en motivant une dérogation."
)
PROJECT_NOT_FOUND = "Projet introuvable."
IMPOSSIBLE_MOVE = "Passage impossible de « {current} » à cette étape. Étapes possibles : {allowed}."
NO_MOVE = "aucune"
ROLE_CANNOT_MOVE = "Votre rôle ne permet pas ce changement d'étape."
REASON_REQUIRED = "Le motif du changement d'étape est obligatoire."


def allowed_moves(project: Project) -> list[str]:
    """Stages reachable from the current one (pause and resumption included)."""
    if project.stage in PAUSED:
        previous = _stage_before_pause(project)
        return [previous] if previous else []
    if project.stage in FINAL:
        return []
    return [*FORWARD.get(project.stage, ()), Stage.SUSPENDU, Stage.ABANDONNE]


def _stage_before_pause(project: Project) -> str | None:
    last = project.transitions.filter(to_stage__in=PAUSED).order_by("-at", "-pk").first()
    return last.from_stage if last else None


def check_validation(project: Project, derogation: str) -> list[str]:
    """Codes of the unmet conditions of the project's cahier des charges (["cahier-des-charges"] when none applies);
    raises NotConforming when some are unmet and no derogation is given."""
    from oasis.projects.conformity import evaluate

    conformity = evaluate(project)
    if conformity is None:
        if not derogation:
            raise NotConforming(NO_RULES_TO_VALIDATE)
        return ["cahier-des-charges"]
    missing = conformity.missing
    if missing and not derogation:
        labels = "; ".join(check.libelle for check in missing)
        raise NotConforming(NOT_CONFORMING.format(cahier=conformity.cahier.titre, missing=labels))
    return [check.code for check in missing]


def move(user: Any, project: Project, to_stage: str, reason: str, derogation: str = "") -> ProjectTransition:
    if not perms.can_view(user, project):
        raise NotAllowed(PROJECT_NOT_FOUND)
    if to_stage not in allowed_moves(project):
        labels = ", ".join(Stage(stage).label for stage in allowed_moves(project)) or NO_MOVE
        raise InvalidTransition(IMPOSSIBLE_MOVE.format(current=Stage(project.stage).label, allowed=labels))
    if not perms.can_move_to(user, project, to_stage):
        raise NotAllowed(ROLE_CANNOT_MOVE)
    if not reason.strip():
        raise ValueError(REASON_REQUIRED)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        # The committee's validation (not the resumption of a validated project after a pause).
        validating = to_stage == Stage.VALIDE and locked.stage == Stage.COMITE
        derogation = derogation.strip()
        unmet = check_validation(locked, derogation) if validating else []
        transition = ProjectTransition.objects.create(
            project=locked,
            from_stage=locked.stage,
            to_stage=to_stage,
            by=user,
            reason=reason.strip(),
            derogation=derogation if unmet else "",
        )
        details: dict[str, Any] = {"de": locked.stage, "vers": to_stage, "motif": reason.strip()}
        if unmet:
            details |= {"derogation": derogation, "conditions_non_satisfaites": unmet}
        record(user, "projet.etape", locked, details)
        locked.stage = to_stage
        locked.stage_since = timezone.now()
        locked.save(update_fields=["stage", "stage_since", "updated_at"])
        notifications.stage_changed(transition)
    project.refresh_from_db()
    return transition


def time_per_stage(project: Project) -> list[tuple[str, float]]:
    """Days spent in each stage, in order (the current one up to now)."""
    transitions = list(project.transitions.all())  # by date, then by record (the model's ordering)
    spans: list[tuple[str, float]] = []
    for current, following in zip_longest(transitions, transitions[1:]):  # the last one is followed by now
        end = following.at if following else timezone.now()
        spans.append((current.to_stage, (end - current.at).total_seconds() / 86_400))
    return spans
