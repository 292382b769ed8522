"""The ARS creates and instructs the projects of its région as the Département does (restricted documents aside);
URPS, Ordres and Préfecture see and comment on a project only once invited to it, and only in their région."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.projects import documents, perms
from oasis.projects.enums import Stage
from oasis.projects.models import ProjectGuest
from oasis.projects.services import (
    NOT_INVITABLE,
    ROLE_CANNOT_INVITE,
    NewProject,
    NotAllowed,
    add_comment,
    create_project,
    invite_guest,
    revoke_guest,
)
from tests.factories import NewProjectFactory
from tests.projects.conftest import make_user
from tests.projects.test_accompaniment import PDF

pytestmark = pytest.mark.django_db


def new_project(commune: str) -> NewProject:
    return NewProjectFactory(carrier="sisa", carrier_name="SISA", commune_principale=commune)


@pytest.fixture
def partners(cast):  # type: ignore[no-untyped-def]
    return {
        "urps": make_user("urps@na.test", Role.URPS, region_id="75", organisation="URPS médecins libéraux NA"),
        "ordre": make_user("ordre@na.test", Role.ORDRE, region_id="75", organisation="Conseil de l'Ordre des médecins"),
        "prefecture": make_user("pref@vienne.test", Role.PREFECTURE, region_id="75", organisation="Préfecture de la Vienne"),
        "urps_occitanie": make_user("urps@occ.test", Role.URPS, region_id="76", organisation="URPS Occitanie"),
    }


def test_the_ars_creates_projects_in_its_region_only(cast):
    project = create_project(cast["ars_na"], new_project("17299"))  # Rochefort, Charente-Maritime: Nouvelle-Aquitaine
    assert project.region_id == "75" and project.departement_id == "17"
    assert perms.can_view(cast["charente_maritime"], project)  # the Département follows it too
    with pytest.raises(NotAllowed):
        create_project(cast["ars_na"], new_project("31555"))  # Toulouse: Occitanie
    with pytest.raises(NotAllowed):
        create_project(cast["cpam_na"], new_project("86194"))


def test_the_ars_instructs_but_does_not_see_the_departements_restricted_documents(client, cast, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast["ars_na"])
    assert (
        client.post(
            reverse("project_team_add", args=[project.pk]), {"profession": "generaliste", "status": "associe-liberal"}
        ).status_code
        == 302
    )
    assert client.get(reverse("project_partners", args=[project.pk])).status_code == 200
    documents.upload(cast["vienne"], project, "autre", "Note interne", "note.pdf", PDF, restreint=True)
    assert not documents.visible_documents(cast["ars_na"], project).exists()
    assert documents.visible_documents(cast["vienne"], project).count() == 1
    with pytest.raises(NotAllowed):
        documents.upload(cast["ars_na"], project, "autre", "Réservé", "n.pdf", PDF + b"%2", restreint=True)


@pytest.mark.parametrize("role", ["urps", "ordre", "prefecture"])
def test_a_partner_sees_and_comments_only_once_invited(client, cast, project, partners, role):
    user = partners[role]
    client.force_login(user)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 404
    assert project.nom not in client.get(reverse("projects")).content.decode()
    invitation = invite_guest(cast["vienne"], project, user.pk)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 200
    assert client.post(reverse("project_comment", args=[project.pk]), {"text": "Avis de l'URPS"}).status_code == 302
    assert client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.CONSEIL, "reason": "?"}).status_code == 403
    assert client.post(reverse("project_next_action", args=[project.pk]), {"next_action": "x"}).status_code == 403
    assert client.post(reverse("guest_invite", args=[project.pk]), {"user": user.pk}).status_code == 403
    revoke_guest(cast["vienne"], project, invitation.pk)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 404


def test_invitations_are_limited_to_partner_accounts_of_the_region(cast, project, partners):
    def refused(user, guest):  # type: ignore[no-untyped-def]
        with pytest.raises((ValueError, NotAllowed)) as error:
            invite_guest(user, project, guest.pk)
        return str(error.value)

    assert refused(cast["vienne"], partners["urps_occitanie"]) == NOT_INVITABLE
    assert refused(cast["vienne"], cast["medecin"]) == NOT_INVITABLE
    invite_guest(cast["ars_na"], project, partners["urps"].pk)
    assert refused(cast["vienne"], partners["urps"]) == NOT_INVITABLE  # already
    assert refused(cast["lussac"], partners["ordre"]) == ROLE_CANNOT_INVITE
    assert list(perms.invitable(project).values_list("email", flat=True)) == ["ordre@na.test", "pref@vienne.test"]


def test_an_invitation_is_audited_told_and_the_guest_follows_the_project(cast, project, partners):
    invite_guest(cast["vienne"], project, partners["urps"].pk)
    assert AuditEvent.objects.filter(action="projet.invitation", objet_id=str(project.pk)).count() == 1
    told = Notification.objects.get(recipient=partners["urps"], event=Event.INVITATION)
    assert told.title == f"Vous êtes invité(e) à suivre le projet « {project.nom} »"
    add_comment(cast["lussac"], project, "Terrain voté")
    assert Notification.objects.filter(recipient=partners["urps"], event=Event.COMMENTAIRE).count() == 1
    assert not Notification.objects.filter(recipient=partners["ordre"]).exists()


def test_the_partners_page_lets_the_departement_invite_by_name(client, cast, project, partners):
    client.force_login(cast["vienne"])
    page = client.get(reverse("project_partners", args=[project.pk])).content.decode()
    assert "URPS médecins libéraux NA — Union régionale des professionnels de santé (URPS) (urps@na.test)" in page
    assert "URPS Occitanie" not in page
    response = client.post(reverse("guest_invite", args=[project.pk]), {"user": partners["prefecture"].pk}, follow=True)
    assert "Partenaire invité sur le projet." in response.content.decode()
    assert ProjectGuest.objects.filter(project=project, user=partners["prefecture"]).exists()
    assert client.post(reverse("guest_invite", args=[project.pk]), {"user": "abc"}).status_code == 400
