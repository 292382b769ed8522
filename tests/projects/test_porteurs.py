"""Porteurs de projet: an account given by those who instruct the project, a link to choose its password, sight of
their own project only; what they may do there (comment, documents, projet de santé) and what they may not."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.notifications.services import send_immediate
from oasis.projects import carriers, perms
from oasis.projects.models import ProjectGuest
from oasis.projects.services import NotAllowed, create_project
from tests.factories import NewProjectFactory
from tests.projects.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def porteur(cast, project):  # type: ignore[no-untyped-def]
    user = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=user, invited_by=cast["vienne"])
    return user


def log_in(client, username: str, password: str) -> bool:  # type: ignore[no-untyped-def]
    """Through the login page, as a user does (the lockout backend wants the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def access_path(smtp) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"http://127\.0\.0\.1:8000(/mot-de-passe-oublie/\S+/\S+/)", smtp.mails[-1].text)
    assert found is not None, smtp.mails[-1].text
    return found.group(1)


def test_a_new_porteur_gets_an_account_and_a_link_to_choose_a_password(
    client, cast, project, other_project, smtp, django_capture_on_commit_callbacks
):
    client.force_login(cast["vienne"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("carrier_add", args=[project.pk]), {"email": " Dr.Martin@Lussac.test "}, follow=True)
    assert "Accès donné au porteur" in response.content.decode()
    assert len(callbacks) == 1  # the e-mail leaves through the worker, once the access is saved
    user = get_user_model().objects.get(username="dr.martin@lussac.test")
    assert user.profile.role == Role.PORTEUR and user.profile.organisation == "Commune de Lussac"
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="projet.porteur.acces", objet_id=str(project.pk)).count() == 1
    assert AuditEvent.objects.filter(action="compte.creation", user=cast["vienne"]).count() == 1
    assert "mot de passe pas encore choisi" in client.get(reverse("project_partners", args=[project.pk])).content.decode()

    carriers.send_access_link(ProjectGuest.objects.get(user=user).pk)
    [mail] = smtp.mails
    assert mail.recipients == ["dr.martin@lussac.test"]
    assert mail.subject == "[OASIS] Votre accès au projet « Maison de santé de Lussac-les-Châteaux »"
    assert "valable 3 jours" in mail.text and "cm@vienne.test" in mail.text

    client.logout()
    form = client.get(access_path(smtp), follow=True)
    new = "le-projet-de-lussac-2027"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert log_in(client, "dr.martin@lussac.test", new)
    listing = client.get(reverse("projects")).content.decode()
    assert "Maison de santé de Lussac-les-Châteaux" in listing and "Centre de santé de Chauvigny" not in listing
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 200
    assert client.get(reverse("project_detail", args=[other_project.pk])).status_code == 404
    assert client.get(reverse("projet_de_sante", args=[other_project.pk])).status_code == 404


def test_an_existing_porteur_is_told_by_email_and_bad_addresses_are_refused(cast, project, other_project, porteur, smtp):
    access = carriers.give_access(cast["vienne"], other_project, "SISA@lussac.test")
    assert access.user == porteur and perms.can_view(porteur, other_project)
    told = Notification.objects.get(recipient=porteur, event=Event.INVITATION)
    assert "écrire son projet de santé" in told.body
    assert send_immediate() == 1
    [mail] = smtp.to("sisa@lussac.test")
    assert mail.subject == "[OASIS] Vous êtes invité(e) à suivre le projet « Centre de santé de Chauvigny »"
    assert "écrire son projet de santé" in mail.text
    with pytest.raises(ValueError) as refused:
        carriers.give_access(cast["vienne"], project, "sisa@lussac.test")
    assert str(refused.value) == carriers.ALREADY.format(email="sisa@lussac.test")
    with pytest.raises(ValueError) as refused:
        carriers.give_access(cast["vienne"], project, "pas-une-adresse")
    assert str(refused.value) == carriers.INVALID_EMAIL.format(email="pas-une-adresse")
    with pytest.raises(ValueError) as refused:
        carriers.give_access(cast["vienne"], project, "cpam@na.test")
    assert str(refused.value) == carriers.OTHER_ROLE.format(email="cpam@na.test")  # a partner's account never becomes a porteur
    porteur.is_active = False
    porteur.save()
    newcomer = create_project(
        cast["vienne"],
        NewProjectFactory(nom="MSP de Civray", carrier="sisa", carrier_name="SISA Civray", commune_principale="86078"),
    )
    with pytest.raises(ValueError) as refused:
        carriers.give_access(cast["vienne"], newcomer, "sisa@lussac.test")
    assert str(refused.value) == carriers.INACTIVE.format(email="sisa@lussac.test")


@pytest.mark.parametrize("who", ["cpam_na", "lussac", "charente_maritime", "ars_occitanie"])
def test_only_those_who_instruct_the_project_give_access(client, cast, project, who):
    with pytest.raises(NotAllowed):
        carriers.give_access(cast[who], project, "x@lussac.test")
    client.force_login(cast[who])
    status = client.post(reverse("carrier_add", args=[project.pk]), {"email": "x@lussac.test"}).status_code
    assert status == (403 if who in ("cpam_na", "lussac") else 404)
    assert not get_user_model().objects.filter(username="x@lussac.test").exists()


def test_a_porteur_gives_no_access_and_the_ars_does(client, cast, project, porteur):
    client.force_login(porteur)
    assert client.post(reverse("carrier_add", args=[project.pk]), {"email": "x@lussac.test"}).status_code == 403
    assert carriers.give_access(cast["ars_na"], project, "x@lussac.test").user.profile.role == Role.PORTEUR


def test_the_link_is_sent_again_only_while_no_password_was_chosen(cast, project, porteur, smtp):
    fresh = carriers.give_access(cast["vienne"], project, "new@lussac.test")
    carriers.resend_access_link(cast["vienne"], project, fresh.pk)
    carriers.send_access_link(fresh.pk)
    assert smtp.mails[-1].recipients == ["new@lussac.test"]
    with pytest.raises(ValueError) as refused:
        carriers.resend_access_link(cast["vienne"], project, project.guests.get(user=porteur).pk)
    assert str(refused.value) == carriers.PASSWORD_CHOSEN.format(email="sisa@lussac.test")
    with pytest.raises(NotAllowed):
        carriers.resend_access_link(cast["cpam_na"], project, fresh.pk)


def test_what_a_porteur_may_do_on_their_project(client, cast, project, porteur):
    assert perms.can_comment(porteur, project) and perms.can_upload(porteur, project)
    assert perms.can_write_projet_de_sante(porteur, project)
    assert not perms.can_edit(porteur, project) and not perms.can_see_restricted(porteur, project)
    assert not any(perms.can_move_to(porteur, project, stage) for stage in ("conseil-1er-niveau", "valide", "abandon"))
    assert porteur in perms.audience(project)
    client.force_login(porteur)
    menu = client.get(reverse("projects")).content.decode()
    assert ">Projets<" in menu and ">Recrutement<" not in menu and ">Comités<" not in menu
    assert "SISA de Lussac" in menu  # who is signed in: their organisation
    revoked = project.guests.get(user=porteur)
    client.force_login(cast["vienne"])
    client.post(reverse("guest_revoke", args=[project.pk, revoked.pk]))
    assert not perms.can_view(porteur, project)
    client.force_login(porteur)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 404
    client.logout()
    assert log_in(client, "sisa@lussac.test", PASSWORD)  # the account stays; only the access goes
