"""The account page, its notifications and preferences, password change and reset by e-mail: for each role, an
anonymous visitor and another user's notification."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from oasis.audit.models import AuditEvent
from oasis.notifications.enums import Event, Frequency
from oasis.notifications.models import Notification, Preference
from oasis.notifications.services import Message, notify
from tests.projects.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLES = ["admin", "vienne", "ars_na", "cpam_na", "lussac", "medecin"]


def message(key: str, link: str = "/projets/") -> Message:
    return Message(Event.COMMENTAIRE, f"Notification {key}", "", link, key)


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    for url in ("/compte/", "/compte/mot-de-passe/", "/compte/notifications/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/connexion/?next=")
    assert client.post("/compte/notifications/lues/").status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_its_own_notifications_only(client, cast, role):
    user = cast[role]
    notify([user], message("mine"))
    other = cast["charente_maritime"]
    notify([other], message("theirs"))
    client.force_login(user)
    page = client.get("/compte/").content.decode()
    assert "Notification mine" in page and "Notification theirs" not in page
    assert 'aria-label="1 notification non lue">1</a>' in page  # the header's count
    theirs = Notification.objects.get(recipient=other)
    assert client.get(f"/compte/notifications/{theirs.pk}/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, cast):
    notify([cast["vienne"]], message("a", "/projets/12/"))
    notify([cast["vienne"]], message("b", "https://ailleurs.example/"))
    client.force_login(cast["vienne"])
    first, second = Notification.objects.order_by("pk")
    response = client.get(f"/compte/notifications/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/projets/12/"
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert client.get(f"/compte/notifications/{second.pk}/")["Location"] == "/compte/"  # never off the site
    notify([cast["vienne"]], message("c"))
    notify([cast["ars_na"]], message("c"))
    response = client.post("/compte/notifications/lues/", follow=True)
    assert "1 notification(s) marquée(s) comme lue(s)." in response.content.decode()
    assert list(Notification.objects.unread().values_list("recipient__email", flat=True)) == ["ars@na.test"]


def test_the_preference_is_saved_with_a_message_and_a_bad_one_refused(client, cast):
    client.force_login(cast["ars_na"])
    response = client.post("/compte/", {"frequency": Frequency.QUOTIDIEN}, follow=True)
    assert "Préférence enregistrée : un récapitulatif par jour." in response.content.decode()
    assert Preference.objects.get(user=cast["ars_na"]).frequency == Frequency.QUOTIDIEN
    response = client.post("/compte/", {"frequency": "toutes-les-heures"}, follow=True)
    assert "Recevoir mes notifications par courriel" in response.content.decode()
    assert Preference.objects.get(user=cast["ars_na"]).frequency == Frequency.QUOTIDIEN


@pytest.mark.parametrize("role", ROLES)
def test_every_user_changes_their_password_audited(client, cast, role):
    user = cast[role]
    client.force_login(user)
    new = "un-tout-nouveau-mot-de-passe-2027"
    wrong = client.post("/compte/mot-de-passe/", {"old_password": "faux", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 200
    response = client.post(
        "/compte/mot-de-passe/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}, follow=True
    )
    assert "Votre mot de passe est modifié." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEvent.objects.filter(action="compte.mot_de_passe.modification", objet_id=str(user.pk)).count() == 1


def test_a_forgotten_password_is_reset_through_the_emailed_link_once(client, cast, smtp):
    response = client.post("/mot-de-passe-oublie/", {"email": "ars@na.test"}, follow=True)
    assert "Si un compte OASIS existe pour cette adresse" in response.content.decode()
    [mail] = smtp.mails
    assert mail.recipients == ["ars@na.test"] and mail.subject == "[OASIS] Choisir un nouveau mot de passe"
    link = re.search(r"http://127\.0\.0\.1:8000(/mot-de-passe-oublie/\S+/\S+/)", mail.text)  # OASIS_URL_PUBLIQUE
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and "Choisir un nouveau mot de passe" in form.content.decode()
    new = "mot-de-passe-retrouve-2027"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Votre mot de passe est enregistré" in done.content.decode()
    assert get_user_model().objects.get(email="ars@na.test").check_password(new)
    assert AuditEvent.objects.filter(action="compte.mot_de_passe.reinitialisation").count() == 1
    again = client.get(link.group(1), follow=True)
    assert "Ce lien n'est plus valable" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, cast, smtp):
    response = client.post("/mot-de-passe-oublie/", {"email": "inconnu@nulle-part.test"}, follow=True)
    assert "Si un compte OASIS existe pour cette adresse" in response.content.decode()
    assert smtp.mails == []


def test_the_login_page_offers_the_reset(client):
    assert 'href="/mot-de-passe-oublie/"' in client.get("/connexion/").content.decode()
