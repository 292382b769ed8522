"""What each change to a project's records writes — team, comments, next action, cahier des charges, partners,
contacts, actions, invited partners — its audit event detail by detail, and each refusal by its message with nothing
written."""

from __future__ import annotations

from datetime import date

import pytest

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.projects.conformity import NO_RULES, cahier_for
from oasis.projects.models import CahierDesCharges, ChecklistAnswer, Comment, Project, ProjectGuest, TeamMember
from oasis.projects.services import (
    ACTION_NOT_FOUND,
    ACTION_OBJECT_REQUIRED,
    EMPTY_COMMENT,
    INVITATION_NOT_FOUND,
    MEMBER_NOT_FOUND,
    PARTNER_NOT_FOUND,
    ROLE_CANNOT_COMMENT,
    ROLE_CANNOT_EDIT,
    ROLE_CANNOT_EDIT_TEAM,
    ROLE_CANNOT_REVOKE,
    ActionEntry,
    NotAllowed,
    add_comment,
    add_contact,
    add_member,
    add_partner,
    edit_action,
    invite_guest,
    log_action,
    remove_member,
    revoke_guest,
    set_checklist,
    set_next_action,
)
from oasis.references.validators import RPPS_FORMAT
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db


def event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def refusal(change, *arguments) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises((ValueError, NotAllowed)) as refused:
        change(*arguments)
    return str(refused.value)


# --- Team ---------------------------------------------------------------------------------------------------------


def test_a_member_is_added_with_spaces_trimmed_and_audited_without_their_name(cast, project):
    member = add_member(cast["ars_na"], project, "infirmier", "salarie", "  Mme Roux  ", " 10101010101 ")
    assert (member.label, member.rpps) == ("Mme Roux", "10101010101")
    audited = event("projet.equipe.ajout")
    assert (audited.user, audited.details) == (cast["ars_na"], {"profession": "infirmier", "statut": "salarie"})


def test_a_malformed_rpps_number_adds_no_one(cast, project):
    assert refusal(add_member, cast["vienne"], project, "generaliste", "associe-liberal", "", "1234") == RPPS_FORMAT
    assert not TeamMember.objects.exists()
    assert not AuditEvent.objects.filter(action="projet.equipe.ajout").exists()


def test_a_member_is_removed_and_the_audit_says_which_kind(cast, project, other_project):
    member = add_member(cast["vienne"], project, "generaliste", "associe-liberal")
    assert (member.label, member.rpps) == ("", "")  # neither given
    kept = add_member(cast["vienne"], project, "infirmier", "salarie")
    assert refusal(remove_member, cast["vienne"], other_project, member.pk) == MEMBER_NOT_FOUND
    assert refusal(remove_member, cast["vienne"], project, 10_000_000) == MEMBER_NOT_FOUND
    remove_member(cast["vienne"], project, member.pk)
    assert list(TeamMember.objects.all()) == [kept]
    audited = event("projet.equipe.retrait")
    assert (audited.user, audited.details) == (cast["vienne"], {"profession": "generaliste", "statut": "associe-liberal"})


@pytest.mark.parametrize("who", ["cpam_na", "lussac", "charente_maritime"])
def test_only_those_who_instruct_change_the_team(cast, project, who):
    member = add_member(cast["vienne"], project, "generaliste", "associe-liberal")
    assert refusal(add_member, cast[who], project, "infirmier", "salarie") == ROLE_CANNOT_EDIT_TEAM
    assert refusal(remove_member, cast[who], project, member.pk) == ROLE_CANNOT_EDIT_TEAM
    assert list(TeamMember.objects.all()) == [member]


# --- Comments and next action -------------------------------------------------------------------------------------


def test_a_comment_is_trimmed_signed_and_audited(cast, project):
    comment = add_comment(cast["lussac"], project, "  Le conseil municipal a voté.  ")
    stored = Comment.objects.get()
    assert (stored, stored.text, stored.author) == (comment, "Le conseil municipal a voté.", cast["lussac"])
    audited = event("projet.commentaire")
    assert (audited.user, audited.details) == (cast["lussac"], {"commentaire": comment.pk})


def test_an_empty_comment_or_an_outsider_is_refused(cast, project):
    assert refusal(add_comment, cast["vienne"], project, "  \n ") == EMPTY_COMMENT
    assert refusal(add_comment, cast["medecin"], project, "Bonjour") == ROLE_CANNOT_COMMENT
    assert refusal(add_comment, cast["chauvigny"], project, "Bonjour") == ROLE_CANNOT_COMMENT  # another commune's project
    assert not Comment.objects.exists()
    assert not AuditEvent.objects.filter(action="projet.commentaire").exists()


def test_the_next_action_keeps_before_and_after(cast, project):
    officer = cast["vienne"]
    set_next_action(officer, project, "Visite des locaux", date(2026, 12, 3))
    set_next_action(officer, project, "Relance", None)
    stored = Project.objects.get(pk=project.pk)
    assert (stored.next_action, stored.next_action_due) == ("Relance", None)
    first, second = AuditEvent.objects.filter(action="projet.prochaine_action").order_by("pk")
    assert first.details == {"avant": ["Réunion d'information", None], "apres": ["Visite des locaux", "2026-12-03"]}
    assert second.details == {"avant": ["Visite des locaux", "2026-12-03"], "apres": ["Relance", None]}
    assert second.user == officer


def test_the_next_action_writes_only_its_own_fields(cast, project):
    Project.objects.filter(pk=project.pk).update(nom="MSP du Lussacois")  # renamed meanwhile, on another page
    set_next_action(cast["vienne"], project, "Visite des locaux", None)
    stored = Project.objects.get(pk=project.pk)
    assert (stored.nom, stored.next_action) == ("MSP du Lussacois", "Visite des locaux")


def test_a_reader_does_not_change_the_next_action(cast, project):
    assert refusal(set_next_action, cast["cpam_na"], project, "Autre", None) == ROLE_CANNOT_EDIT
    assert Project.objects.get(pk=project.pk).next_action == "Réunion d'information"
    assert not AuditEvent.objects.filter(action="projet.prochaine_action").exists()


# --- Cahier des charges -------------------------------------------------------------------------------------------


def test_the_checklist_answers_every_item_and_the_audit_keeps_before_and_after(cast, project):
    codes = [item["code"] for item in cahier_for(project).items]
    first, second = codes[0], codes[1]
    set_checklist(cast["vienne"], project, {first}, {first: "x" * 600, "inconnu": "ignoré"})
    answers = {a.code: (a.met, a.comment) for a in ChecklistAnswer.objects.filter(project=project)}
    assert set(answers) == set(codes)
    assert answers[first] == (True, "x" * 500)
    assert answers[second] == (False, "")
    set_checklist(cast["vienne"], project, {second}, {})
    before, after = AuditEvent.objects.filter(action="projet.cahier_des_charges").order_by("pk")
    assert before.details["avant"] == {}
    assert before.details["apres"] == {code: code == first for code in codes}
    assert after.details["avant"] == {code: code == first for code in codes}
    assert after.details["apres"] == {code: code == second for code in codes}
    assert after.user == cast["vienne"]


def test_without_a_cahier_des_charges_there_is_nothing_to_check(cast, project):
    CahierDesCharges.objects.all().delete()
    assert refusal(set_checklist, cast["vienne"], project, set(), {}) == NO_RULES
    assert refusal(set_checklist, cast["lussac"], project, set(), {}) == ROLE_CANNOT_EDIT
    assert not ChecklistAnswer.objects.exists()


# --- Partners, contacts, actions ----------------------------------------------------------------------------------


def test_partners_and_contacts_are_trimmed_and_audited(cast, project, other_project):
    officer = cast["vienne"]
    partner = add_partner(officer, project, "cpam", "  CPAM de la Vienne ", "  financeur ")
    assert (partner.nom, partner.role, partner.kind) == ("CPAM de la Vienne", "financeur", "cpam")
    audited = event("projet.partenaire.ajout")
    assert (audited.user, audited.details) == (officer, {"partenaire": partner.pk, "type": "cpam", "nom": "CPAM de la Vienne"})
    assert add_partner(officer, project, "urps", "URPS").role == ""  # none given
    contact = add_contact(officer, project, partner.pk, " Claire Martin ", " cheffe ", " claire@cpam.test ", " 05 49 ")
    assert (contact.partner, contact.nom, contact.fonction, contact.email, contact.telephone) == (
        partner,
        "Claire Martin",
        "cheffe",
        "claire@cpam.test",
        "05 49",
    )
    audited = event("projet.contact.ajout")
    assert (audited.user, audited.details) == (officer, {"partenaire": partner.pk, "contact": contact.pk})
    assert refusal(add_contact, officer, other_project, partner.pk, "X", "", "", "") == PARTNER_NOT_FOUND
    assert refusal(add_partner, cast["cpam_na"], project, "cpam", "CPAM") == ROLE_CANNOT_EDIT
    assert partner.contacts.count() == 1


def test_an_action_is_logged_trimmed_and_edited_field_by_field(cast, project):
    officer = cast["vienne"]
    entry = ActionEntry("visite", date(2026, 5, 2), "  Visite des locaux ", " Mme Roux ", " Locaux adaptés ")
    action = log_action(officer, project, entry)
    assert (action.objet, action.participants, action.compte_rendu, action.created_by) == (
        "Visite des locaux",
        "Mme Roux",
        "Locaux adaptés",
        officer,
    )
    audited = event("projet.action.ajout")
    assert (audited.user, audited.details) == (officer, {"action": action.pk, "type": "visite", "date": "2026-05-02"})
    edited = edit_action(
        cast["ars_na"], project, action.pk, ActionEntry("visite", date(2026, 5, 3), "Visite des locaux ", "Mme Roux", "")
    )
    assert (edited.date, edited.objet, edited.compte_rendu) == (date(2026, 5, 3), "Visite des locaux", "")
    audited = event("projet.action.modification")
    assert audited.user == cast["ars_na"]
    assert audited.details == {
        "action": action.pk,
        "modifications": {"date": ["2026-05-02", "2026-05-03"], "compte_rendu": ["Locaux adaptés", ""]},
    }


def test_an_action_needs_an_object_and_an_existing_number(cast, project):
    officer = cast["vienne"]
    assert refusal(log_action, officer, project, ActionEntry("visite", date(2026, 5, 2), "   ")) == ACTION_OBJECT_REQUIRED
    assert refusal(edit_action, officer, project, 10_000_000, ActionEntry("visite", date(2026, 5, 2), "X")) == ACTION_NOT_FOUND
    assert not project.actions.exists()


# --- Invited partners ---------------------------------------------------------------------------------------------


def test_an_invitation_and_its_withdrawal_are_audited(cast, project):
    urps = make_user("urps@na.test", Role.URPS, region_id="75", organisation="URPS médecins libéraux NA")
    invitation = invite_guest(cast["ars_na"], project, urps.pk)
    stored = ProjectGuest.objects.get()
    assert (stored, stored.user, stored.invited_by) == (invitation, urps, cast["ars_na"])
    audited = event("projet.invitation")
    assert (audited.user, audited.details) == (cast["ars_na"], {"invite": urps.pk, "role": Role.URPS})
    assert refusal(revoke_guest, cast["lussac"], project, invitation.pk) == ROLE_CANNOT_REVOKE
    assert refusal(revoke_guest, cast["vienne"], project, 10_000_000) == INVITATION_NOT_FOUND
    revoke_guest(cast["vienne"], project, invitation.pk)
    assert not ProjectGuest.objects.exists()
    audited = event("projet.invitation.retrait")
    assert (audited.user, audited.details) == (cast["vienne"], {"invite": urps.pk})
