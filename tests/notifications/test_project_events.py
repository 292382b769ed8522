"""Stage changes, comments and documents are told to those who follow the project, by e-mail through a real SMTP
server: the Département, the ARS and CPAM of the région, the beneficiary commune; never the author, never another
territory; a restricted document only to the Département."""

from __future__ import annotations

import pytest

from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.notifications.services import send_immediate
from oasis.projects import documents
from oasis.projects.notifications import stage_changed
from oasis.projects.services import add_comment
from oasis.projects.stages import move
from tests.projects.test_accompaniment import PDF

pytestmark = pytest.mark.django_db

FOLLOWERS = {"cm@vienne.test", "ars@na.test", "cpam@na.test", "maire@lussac.test"}


def told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__email", flat=True))


def test_a_stage_change_reaches_every_follower_but_its_author_by_email(project, cast, smtp):
    transition = move(cast["vienne"], project, "conseil-1er-niveau", "Réunion avec le maire")
    assert told(Event.ETAPE) == FOLLOWERS - {"cm@vienne.test"}
    assert send_immediate() == 3
    assert {address for mail in smtp.mails for address in mail.recipients} == FOLLOWERS - {"cm@vienne.test"}
    mail = smtp.to("ars@na.test")[0]
    assert mail.subject == "[OASIS] Maison de santé de Lussac-les-Châteaux : Conseil de 1er niveau / réunion d'information"
    assert "Motif : Réunion avec le maire" in mail.text
    assert f"http://127.0.0.1:8000/projets/{project.pk}/" in mail.text
    assert "http://127.0.0.1:8000/compte/" in mail.text
    # Told once: raising the same event again, or sending again, changes nothing.
    assert stage_changed(transition) == 0
    assert send_immediate() == 0
    assert len(smtp.mails) == 3


def test_the_ars_decision_reaches_the_departement(project, cast, smtp):
    for stage in ("conseil-1er-niveau", "definition-besoin", "accompagnement-cible", "projet-sante-depose", "comite-regional"):
        move(cast["vienne"], project, stage, "Étape suivante")
    move(cast["ars_na"], project, "valide", "Avis favorable du comité", derogation="Équipe complète à l'ouverture")
    assert Notification.objects.filter(recipient=cast["vienne"], title__endswith="Validé par le comité").count() == 1
    send_immediate()
    assert any("Validé par le comité" in mail.subject for mail in smtp.to("cm@vienne.test"))


def test_a_comment_is_told_to_the_others_with_its_text(project, cast, smtp):
    add_comment(cast["lussac"], project, "Le conseil municipal a voté le terrain.")
    assert told(Event.COMMENTAIRE) == FOLLOWERS - {"maire@lussac.test"}
    send_immediate()
    mail = smtp.to("cm@vienne.test")[0]
    assert mail.subject == "[OASIS] Maison de santé de Lussac-les-Châteaux : commentaire de maire@lussac.test"
    assert "Le conseil municipal a voté le terrain." in mail.text


def test_other_territories_and_roles_are_never_told(project, cast):
    add_comment(cast["lussac"], project, "Bonjour")
    move(cast["vienne"], project, "conseil-1er-niveau", "Suite")
    others = ["admin", "charente_maritime", "ars_occitanie", "chauvigny", "medecin"]
    assert not Notification.objects.filter(recipient__in=[cast[name] for name in others]).exists()


def test_an_inactive_follower_is_not_told(project, cast):
    cast["ars_na"].is_active = False
    cast["ars_na"].save()
    move(cast["vienne"], project, "conseil-1er-niveau", "Suite")
    assert told(Event.ETAPE) == {"cpam@na.test", "maire@lussac.test"}


def test_documents_and_their_versions_are_told_restricted_ones_to_the_departement_only(project, cast, smtp, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = documents.upload(cast["lussac"], project, "projet-de-sante", "Projet de santé", "projet.pdf", PDF)
    assert told(Event.DOCUMENT) == FOLLOWERS - {"maire@lussac.test"}
    documents.add_version(cast["vienne"], project, document.pk, "projet-v2.pdf", PDF + b"% v2\n")
    assert Notification.objects.filter(event=Event.DOCUMENT, title__contains="Version 2").count() == 3
    documents.upload(cast["vienne"], project, "autre", "Note interne", "note.pdf", PDF, restreint=True)
    assert not Notification.objects.filter(title__contains="Note interne").exists()  # the Département uploaded it
    documents.upload(cast["admin"], project, "autre", "Note du cabinet", "note.pdf", PDF, restreint=True)
    assert told(Event.DOCUMENT) >= {"cm@vienne.test"}
    assert set(Notification.objects.filter(title__contains="Note du cabinet").values_list("recipient__email", flat=True)) == {
        "cm@vienne.test"
    }
    send_immediate()
    assert any("Note du cabinet" in mail.subject for mail in smtp.to("cm@vienne.test"))
    assert not any("Note du cabinet" in mail.subject for mail in smtp.to("ars@na.test"))


def test_a_refused_change_tells_nobody(project, cast):
    with pytest.raises(PermissionError):
        move(cast["cpam_na"], project, "conseil-1er-niveau", "Pas mon rôle")
    with pytest.raises(ValueError):
        add_comment(cast["vienne"], project, "   ")
    assert not Notification.objects.exists()
