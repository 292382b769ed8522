"""Everything that changes a project but its stage (see ``stages``): checked, recorded in the history and the audit
log, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from oasis.audit.services import history, record
from oasis.concurrency import read_token, refuse_if_changed
from oasis.projects import notifications, perms
from oasis.projects.enums import ActionKind
from oasis.projects.models import (
    Action,
    ChecklistAnswer,
    Comment,
    Contact,
    Partner,
    Project,
    ProjectGuest,
    ProjectTransition,
    TeamMember,
)
from oasis.references.validators import checked_rpps
from oasis.territories.models import Commune


class NotAllowed(PermissionError):
    """The user may not do this (views answer 403, or 404 when the project is out of their sight)."""


ROLE_CANNOT_EDIT = "Votre rôle ne permet pas de modifier ce projet."
UNKNOWN_COMMUNE = "Commune inconnue : « {code} »."
OUTSIDE_DEPARTEMENT = "Vous ne pouvez créer un projet que dans votre département."
UNKNOWN_COMMUNES = "Communes inconnues : {codes}."
UNKNOWN_BENEFICIARY = "Commune bénéficiaire inconnue : « {code} »."
ROLE_CANNOT_COMMENT = "Votre rôle ne permet pas de commenter ce projet."
EMPTY_COMMENT = "Le commentaire est vide."
ROLE_CANNOT_EDIT_TEAM = "Votre rôle ne permet pas de modifier l'équipe."
MEMBER_NOT_FOUND = "Membre introuvable."
PARTNER_NOT_FOUND = "Partenaire introuvable."
CONTACT_NOT_FOUND = "Contact introuvable."
ACTION_OBJECT_REQUIRED = "L'objet de l'action est obligatoire."
ACTION_NOT_FOUND = "Action introuvable."
ROLE_CANNOT_INVITE = "Votre rôle ne permet pas d'inviter un partenaire sur ce projet."
NOT_INVITABLE = (
    "Ce compte ne peut pas être invité : il doit être un partenaire (URPS, Ordre, Préfecture) de la région du projet, "
    "actif, et pas déjà invité."
)
ROLE_CANNOT_REVOKE = "Votre rôle ne permet pas de retirer un partenaire invité."
INVITATION_NOT_FOUND = "Invitation introuvable."


def require_edit(user: Any, project: Project) -> None:
    if not perms.can_edit(user, project):
        raise NotAllowed(ROLE_CANNOT_EDIT)


@dataclass
class NewProject:
    nom: str
    kind: str
    carrier: str
    carrier_name: str
    commune_principale: str
    communes_desservies: list[str]
    collectivite_niveau: str
    collectivite_code: str
    next_action: str = ""
    next_action_due: date | None = None


def create_project(user: Any, data: NewProject) -> Project:
    commune = Commune.objects.filter(pk=data.commune_principale).first()
    if commune is None:
        raise ValueError(UNKNOWN_COMMUNE.format(code=data.commune_principale))
    if not perms.can_create_in(user, commune.departement_id):
        raise NotAllowed(OUTSIDE_DEPARTEMENT)
    served = list(Commune.objects.filter(pk__in=data.communes_desservies))
    unknown = sorted(set(data.communes_desservies) - {c.pk for c in served})
    if unknown:
        raise ValueError(UNKNOWN_COMMUNES.format(codes=", ".join(unknown)))
    if data.collectivite_niveau == "commune" and not Commune.objects.filter(pk=data.collectivite_code).exists():
        raise ValueError(UNKNOWN_BENEFICIARY.format(code=data.collectivite_code))
    with transaction.atomic():
        return open_project(
            user,
            commune,
            served,
            "Création du projet",
            "projet.creation",
            nom=data.nom,
            kind=data.kind,
            carrier=data.carrier,
            carrier_name=data.carrier_name,
            collectivite_niveau=data.collectivite_niveau,
            collectivite_code=data.collectivite_code,
            next_action=data.next_action,
            next_action_due=data.next_action_due,
        )


def open_project(
    user: Any,
    commune: Commune,
    served: list[Commune],
    reason: str,
    action: str,
    details: dict[str, Any] | None = None,
    **fields: Any,
) -> Project:
    """A new project at its first stage, with its territory, the first line of its history and its audit event (``user``
    None: created by a synchronisation). The caller holds the transaction and has checked the facts."""
    project = Project.objects.create(
        commune_principale=commune,
        departement_id=commune.departement_id,
        region_id=commune.region_id,
        created_by=user,
        **fields,
    )
    # The main commune is part of the territory by definition (Project.territory_codes): only the others are stored.
    project.communes_desservies.set([other for other in served if other.pk != commune.pk])
    ProjectTransition.objects.create(project=project, from_stage="", to_stage=project.stage, by=project.created_by, reason=reason)
    record(user, action, project, {"etape": project.stage, "commune": commune.pk, **(details or {})})
    return project


NEXT_ACTION_LABELS = {"next_action": "Prochaine action", "next_action_due": "Échéance"}


def next_action_token(project: Project) -> str:
    """What the next action's form carries of the project as read (see ``oasis.concurrency``)."""
    return read_token({"next_action": project.next_action, "next_action_due": project.next_action_due})


def set_next_action(user: Any, project: Project, text: str, due: date | None, read: str | None = None) -> None:
    """Set the next action; ``read`` (``next_action_token`` of the form's read) refuses to overwrite a next action
    changed since with ``EditConflict``."""
    require_edit(user, project)
    with transaction.atomic():
        stored = Project.objects.select_for_update().get(pk=project.pk)
        refuse_if_changed(
            read,
            {"next_action": stored.next_action, "next_action_due": stored.next_action_due},
            {"next_action": text, "next_action_due": due},
            NEXT_ACTION_LABELS,
            history(project).filter(action="projet.prochaine_action"),
        )
        record(
            user,
            "projet.prochaine_action",
            project,
            {
                "avant": [stored.next_action, stored.next_action_due.isoformat() if stored.next_action_due else None],
                "apres": [text, due.isoformat() if due else None],
            },
        )
        project.next_action, project.next_action_due = text, due
        project.save(update_fields=["next_action", "next_action_due", "updated_at"])


def add_comment(user: Any, project: Project, text: str) -> Comment:
    if not perms.can_comment(user, project):
        raise NotAllowed(ROLE_CANNOT_COMMENT)
    if not text.strip():
        raise ValueError(EMPTY_COMMENT)
    with transaction.atomic():
        comment = Comment.objects.create(project=project, author=user, text=text.strip())
        record(user, "projet.commentaire", project, {"commentaire": comment.pk})
        notifications.comment_added(comment)
    return comment


def add_member(user: Any, project: Project, profession: str, status: str, label: str = "", rpps: str = "") -> TeamMember:
    """Add a member; a malformed RPPS number raises ``ValueError(RPPS_FORMAT)``."""
    if not perms.can_edit(user, project):
        raise NotAllowed(ROLE_CANNOT_EDIT_TEAM)
    rpps = checked_rpps(rpps)
    with transaction.atomic():
        member = TeamMember.objects.create(project=project, profession=profession, status=status, label=label.strip(), rpps=rpps)
        record(user, "projet.equipe.ajout", project, {"profession": profession, "statut": status})
    return member


def remove_member(user: Any, project: Project, member_id: int) -> None:
    if not perms.can_edit(user, project):
        raise NotAllowed(ROLE_CANNOT_EDIT_TEAM)
    member = project.team.filter(pk=member_id).first()
    if member is None:
        raise ValueError(MEMBER_NOT_FOUND)
    with transaction.atomic():
        record(user, "projet.equipe.retrait", project, {"profession": member.profession, "statut": member.status})
        member.delete()


def _checklist_values(project: Project, items: list[dict[str, str]]) -> dict[str, Any]:
    """The checklist's fields as stored: per requirement, met or not and its precision."""
    answers = {answer.code: answer for answer in project.checklist.all()}
    values: dict[str, Any] = {}
    for item in items:
        answer = answers.get(item["code"])
        values[f"met-{item['code']}"] = bool(answer and answer.met)
        values[f"comment-{item['code']}"] = answer.comment if answer else ""
    return values


def checklist_token(project: Project) -> str:
    """What the checklist's form carries of the answers as read (see ``oasis.concurrency``)."""
    from oasis.projects.conformity import cahier_for

    cahier = cahier_for(project)
    return read_token(_checklist_values(project, cahier.items)) if cahier is not None else ""


def set_checklist(user: Any, project: Project, met_codes: set[str], comments: dict[str, str], read: str | None = None) -> None:
    """Record which items of the cahier des charges the projet de santé meets. ``read`` (``checklist_token`` of the
    form's read) refuses to overwrite answers changed since with ``EditConflict``."""
    from oasis.projects.conformity import NO_RULES, cahier_for

    require_edit(user, project)
    cahier = cahier_for(project)
    if cahier is None:
        raise ValueError(NO_RULES)
    codes = [item["code"] for item in cahier.items]
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()  # one writer at a time per project
        labels = {f"met-{item['code']}": item["libelle"] for item in cahier.items} | {
            f"comment-{item['code']}": f"Précision : {item['libelle']}" for item in cahier.items
        }
        yours = {f"met-{code}": code in met_codes for code in codes} | {
            f"comment-{code}": comments.get(code, "")[:500] for code in codes
        }
        refuse_if_changed(
            read,
            _checklist_values(project, cahier.items),
            yours,
            labels,
            history(project).filter(action="projet.cahier_des_charges"),
        )
        before = {a.code: a.met for a in project.checklist.all()}
        for code in codes:
            ChecklistAnswer.objects.update_or_create(
                project=project, code=code, defaults={"met": code in met_codes, "comment": comments.get(code, "")[:500]}
            )
        record(user, "projet.cahier_des_charges", project, {"avant": before, "apres": {c: c in met_codes for c in codes}})


def add_partner(user: Any, project: Project, kind: str, nom: str, role: str = "") -> Partner:
    require_edit(user, project)
    with transaction.atomic():
        partner = Partner.objects.create(project=project, kind=kind, nom=nom.strip(), role=role.strip())
        record(user, "projet.partenaire.ajout", project, {"partenaire": partner.pk, "type": kind, "nom": partner.nom})
    return partner


def remove_partner(user: Any, project: Project, partner_id: int) -> None:
    require_edit(user, project)
    partner = project.partners.filter(pk=partner_id).first()
    if partner is None:
        raise ValueError(PARTNER_NOT_FOUND)
    with transaction.atomic():
        record(
            user,
            "projet.partenaire.retrait",
            project,
            {"partenaire": partner.pk, "nom": partner.nom, "contacts": partner.contacts.count()},
        )
        partner.delete()


def add_contact(user: Any, project: Project, partner_id: int, nom: str, fonction: str, email: str, telephone: str) -> Contact:
    require_edit(user, project)
    partner = project.partners.filter(pk=partner_id).first()
    if partner is None:
        raise ValueError(PARTNER_NOT_FOUND)
    with transaction.atomic():
        contact = Contact.objects.create(
            partner=partner, nom=nom.strip(), fonction=fonction.strip(), email=email.strip(), telephone=telephone.strip()
        )
        # The audit names the record, not the person's details.
        record(user, "projet.contact.ajout", project, {"partenaire": partner.pk, "contact": contact.pk})
    return contact


def remove_contact(user: Any, project: Project, contact_id: int) -> None:
    require_edit(user, project)
    contact = Contact.objects.filter(pk=contact_id, partner__project=project).first()
    if contact is None:
        raise ValueError(CONTACT_NOT_FOUND)
    with transaction.atomic():
        record(user, "projet.contact.retrait", project, {"partenaire": contact.partner_id, "contact": contact.pk})
        contact.delete()


@dataclass
class ActionEntry:
    kind: str
    date: date
    objet: str
    participants: str = ""
    compte_rendu: str = ""


def log_action(user: Any, project: Project, entry: ActionEntry) -> Action:
    require_edit(user, project)
    if not entry.objet.strip():
        raise ValueError(ACTION_OBJECT_REQUIRED)
    with transaction.atomic():
        action = Action.objects.create(
            project=project,
            kind=entry.kind,
            date=entry.date,
            objet=entry.objet.strip(),
            participants=entry.participants.strip(),
            compte_rendu=entry.compte_rendu.strip(),
            created_by=user,
        )
        record(user, "projet.action.ajout", project, {"action": action.pk, "type": entry.kind, "date": entry.date.isoformat()})
    return action


ACTION_FIELDS = ("kind", "date", "objet", "participants", "compte_rendu")
ACTION_LABELS = {"kind": "Type", "date": "Date", "objet": "Objet", "participants": "Participants", "compte_rendu": "Compte rendu"}


def action_token(action: Action) -> str:
    """What an action's edit form carries of it as read (see ``oasis.concurrency``)."""
    return read_token({field: getattr(action, field) for field in ACTION_FIELDS})


def edit_action(user: Any, project: Project, action_id: int, entry: ActionEntry, read: str | None = None) -> Action:
    """Change an action; ``read`` (``action_token`` of the form's read) refuses to overwrite an action changed since
    with ``EditConflict``."""
    require_edit(user, project)
    if not project.actions.filter(pk=action_id).exists():
        raise ValueError(ACTION_NOT_FOUND)
    fields = ACTION_FIELDS
    with transaction.atomic():
        action = project.actions.select_for_update().get(pk=action_id)
        refuse_if_changed(
            read,
            {field: getattr(action, field) for field in fields},
            {field: getattr(entry, field) for field in fields},
            ACTION_LABELS,
            history(project).filter(action__in=["projet.action.modification", "projet.action.ajout"], details__action=action.pk),
            {"kind": ActionKind.choices},
        )
        before = {field: str(getattr(action, field)) for field in fields}
        for field in fields:
            value = getattr(entry, field)
            setattr(action, field, value.strip() if isinstance(value, str) else value)
        action.save()
        after = {field: str(getattr(action, field)) for field in fields}
        changed = {field: [before[field], after[field]] for field in fields if before[field] != after[field]}
        record(user, "projet.action.modification", project, {"action": action.pk, "modifications": changed})
    return action


def remove_action(user: Any, project: Project, action_id: int) -> None:
    require_edit(user, project)
    action = project.actions.filter(pk=action_id).first()
    if action is None:
        raise ValueError(ACTION_NOT_FOUND)
    with transaction.atomic():
        record(
            user,
            "projet.action.suppression",
            project,
            {"action": action.pk, "type": action.kind, "date": action.date.isoformat(), "objet": action.objet},
        )
        action.delete()


def invite_guest(user: Any, project: Project, guest_id: int) -> ProjectGuest:
    """Invite a partner's account (URPS, Ordre, Préfecture of the project's région) to read and comment on it."""
    if not perms.can_invite(user, project):
        raise NotAllowed(ROLE_CANNOT_INVITE)
    guest = perms.invitable(project).filter(pk=guest_id).first()
    if guest is None:
        raise ValueError(NOT_INVITABLE)
    with transaction.atomic():
        invitation = ProjectGuest.objects.create(project=project, user=guest, invited_by=user)
        record(user, "projet.invitation", project, {"invite": guest.pk, "role": guest.profile.role})
        notifications.invited(invitation)
    return invitation


def revoke_guest(user: Any, project: Project, invitation_id: int) -> None:
    if not perms.can_invite(user, project):
        raise NotAllowed(ROLE_CANNOT_REVOKE)
    invitation = project.guests.filter(pk=invitation_id).first()
    if invitation is None:
        raise ValueError(INVITATION_NOT_FOUND)
    with transaction.atomic():
        record(user, "projet.invitation.retrait", project, {"invite": invitation.user_id})
        invitation.delete()
