"""One e-mail that cannot leave never holds the others back: user text in a subject is put on one line, and a
notification whose e-mail the mail framework or the SMTP server refuses is set aside with its reason, shown to an
administrator; everything goes through a real SMTP server."""

from __future__ import annotations

import io
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from oasis.notifications.enums import Event, Frequency
from oasis.notifications.management.commands.rappels import SET_ASIDE
from oasis.notifications.models import Notification
from oasis.notifications.services import (
    MESSAGE_REFUSED,
    RECIPIENT_REFUSED,
    UNCOMPOSABLE,
    mail_subject,
    one_line,
    send_digests,
    send_immediate,
    set_frequency,
)
from oasis.projects.services import add_comment
from oasis.projects.stages import move
from tests.projects.test_accompaniment import PDF

pytestmark = pytest.mark.django_db

POISON = "Poison\r\nBcc: x@y"
FOLLOWERS = {"cm@vienne.test", "ars@na.test", "cpam@na.test", "maire@lussac.test"}
GONE = "550 5.1.1 Mailbox unavailable"
FULL = "452 4.2.2 Mailbox full, try again later"


def rappels(day: date = date(2027, 3, 1)) -> str:
    out = StringIO()
    call_command("rappels", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def pending() -> list[tuple[str, str]]:
    return sorted(Notification.objects.not_emailed().values_list("recipient__email", "title"))


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Poison\r\nBcc: x@y", "Poison Bcc: x@y"),
        ("a\nb\rc", "a b c"),
        ("tab\there", "tab here"),
        ("vertical\x0bform\x0cfeed", "vertical form feed"),
        ("next\x85line\u2028sep\u2029para", "next line sep para"),
        ("nul\x00bell\x07del\x7f", "nul bell del"),
        ("  \r\n  espaces  \n ", "espaces"),
        ("Maison de santé « Lussac »", "Maison de santé « Lussac »"),
    ],
)
def test_one_line_turns_every_break_and_control_character_into_one_space(text, line):
    assert one_line(text) == line
    assert mail_subject(text) == "[OASIS] " + line


def test_a_document_titled_with_a_line_break_is_told_on_one_line_and_holds_nothing_back(
    client, cast, project, smtp, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast["lussac"])
    upload = io.BytesIO(PDF)
    upload.name = "poison.pdf"
    response = client.post(reverse("document_upload", args=[project.pk]), {"kind": "autre", "titre": POISON, "fichier": upload})
    assert response.status_code == 302
    poisoned = f"{project.nom} : Nouveau document « {POISON} »"
    assert set(Notification.objects.filter(title=poisoned).values_list("recipient__email", flat=True)) == FOLLOWERS - {
        "maire@lussac.test"
    }
    add_comment(cast["cpam_na"], project, "Reçu, merci.")  # told after the poisoned one
    assert "Courriels envoyés : 6 immédiat(s), 0 récapitulatif(s)." in rappels()
    assert pending() == []
    assert not Notification.objects.set_aside().exists()
    one_line_subject = f"[OASIS] {project.nom} : Nouveau document « Poison Bcc: x@y »"
    for address in ("cm@vienne.test", "ars@na.test", "cpam@na.test"):
        assert smtp.to(address)[0].subject == one_line_subject
    assert [mail.subject for mail in smtp.to("maire@lussac.test")] == [f"[OASIS] {project.nom} : commentaire de cpam@na.test"]
    assert len(smtp.to("cm@vienne.test")) == len(smtp.to("ars@na.test")) == 2
    # The line break started no header: nobody else received it, and no message carries a Bcc.
    assert {address for mail in smtp.mails for address in mail.recipients} == FOLLOWERS
    assert all(mail.message["Bcc"] is None for mail in smtp.mails)


def test_a_project_named_with_a_line_break_gives_one_line_subjects(cast, project, smtp):
    project.nom = "Lussac\r\nBcc: x@y"
    project.save(update_fields=["nom"])
    move(cast["vienne"], project, "conseil-1er-niveau", "Réunion")
    assert send_immediate() == 3
    assert {mail.subject for mail in smtp.mails} == {"[OASIS] Lussac Bcc: x@y : Conseil de 1er niveau / réunion d'information"}
    assert {address for mail in smtp.mails for address in mail.recipients} == FOLLOWERS - {"cm@vienne.test"}


def test_an_e_mail_that_cannot_leave_is_set_aside_with_its_reason_and_the_later_ones_leave(cast, project, smtp):
    # Two accounts whose e-mail can never leave: an address the SMTP server refuses for good, and one stored with a
    # line break (an old import), which Django refuses to put in a header.
    smtp.refused["cm@vienne.test"] = GONE
    type(cast["cpam_na"]).objects.filter(pk=cast["cpam_na"].pk).update(email="cpam@na.test\r\nBcc: x@y")
    add_comment(cast["lussac"], project, "Premier message")  # the oldest: to the Département, the ARS, the CPAM
    move(cast["vienne"], project, "conseil-1er-niveau", "Réunion")  # later: to the ARS, the CPAM and the commune
    add_comment(cast["ars_na"], project, "Dernier message")  # later still
    output = rappels()
    assert "Courriels envoyés : 4 immédiat(s), 0 récapitulatif(s)." in output
    assert SET_ASIDE.format(count=5) in output
    assert [mail.subject for mail in smtp.to("ars@na.test")] == [
        f"[OASIS] {project.nom} : commentaire de maire@lussac.test",
        f"[OASIS] {project.nom} : Conseil de 1er niveau / réunion d'information",
    ]
    assert [mail.subject for mail in smtp.to("maire@lussac.test")] == [
        f"[OASIS] {project.nom} : Conseil de 1er niveau / réunion d'information",
        f"[OASIS] {project.nom} : commentaire de ars@na.test",
    ]
    assert smtp.to("cm@vienne.test") == [] and smtp.to("x@y") == []
    refused = Notification.objects.set_aside().filter(recipient=cast["vienne"])
    assert refused.count() == 2  # the first comment and the last one
    gone = RECIPIENT_REFUSED.format(code=550, answer="5.1.1 Mailbox unavailable")
    assert set(refused.values_list("failure_reason", flat=True)) == {gone}
    uncomposable = Notification.objects.set_aside().filter(recipient=cast["cpam_na"])
    assert uncomposable.count() == 3  # the CPAM is told of all three
    for reason in uncomposable.values_list("failure_reason", flat=True):
        assert reason.startswith(UNCOMPOSABLE.format(error="")) and "\n" not in reason
    assert all(n.failed_at is not None and n.emailed_at is None for n in Notification.objects.set_aside())
    assert pending() == []
    # Set aside: not tried again at the next run, which sends nothing more.
    assert "Notifications mises de côté" not in rappels(date(2027, 3, 2))
    assert len(smtp.mails) == 4


def test_a_message_the_server_refuses_is_set_aside(cast, project, smtp):
    smtp.rejected["Premier message"] = "554 5.7.1 Message content rejected"
    add_comment(cast["lussac"], project, "Premier message")
    add_comment(cast["cpam_na"], project, "Second message")
    assert send_immediate() == 3  # the second comment: to the Département, the ARS and the commune
    assert {mail.text.count("Second message") for mail in smtp.mails} == {1}
    reasons = set(Notification.objects.set_aside().values_list("failure_reason", flat=True))
    assert reasons == {MESSAGE_REFUSED.format(code=554, answer="5.7.1 Message content rejected")}
    assert set(Notification.objects.set_aside().values_list("recipient__email", flat=True)) == FOLLOWERS - {"maire@lussac.test"}


def test_a_temporary_refusal_keeps_the_notification_for_the_next_run_and_holds_nothing_back(cast, project, smtp):
    smtp.refused["cm@vienne.test"] = FULL
    add_comment(cast["lussac"], project, "Premier message")
    add_comment(cast["ars_na"], project, "Second message")
    assert send_immediate() == 4  # ARS and CPAM for the first, CPAM and the commune for the second, not the Département
    assert not Notification.objects.set_aside().exists()
    assert [email for email, _ in pending()] == ["cm@vienne.test", "cm@vienne.test"]
    del smtp.refused["cm@vienne.test"]
    assert send_immediate() == 2
    assert pending() == []
    assert len(smtp.to("cm@vienne.test")) == 2


def test_a_digest_that_cannot_leave_is_set_aside_and_the_other_digests_leave(cast, project, smtp):
    for who in ("vienne", "ars_na"):
        set_frequency(cast[who], Frequency.QUOTIDIEN)
    smtp.refused["cm@vienne.test"] = GONE
    add_comment(cast["lussac"], project, "Premier message")
    assert send_digests(date(2027, 3, 1)) == 1
    assert [mail.recipients for mail in smtp.mails if "récapitulatif" in mail.subject] == [["ars@na.test"]]
    assert list(Notification.objects.set_aside().values_list("recipient__email", "failure_reason")) == [
        ("cm@vienne.test", RECIPIENT_REFUSED.format(code=550, answer="5.1.1 Mailbox unavailable"))
    ]
    assert send_digests(date(2027, 3, 2)) == 0  # set aside: no digest of it again, nor an empty one


def test_the_administrator_finds_the_set_aside_notifications_with_their_reason_and_puts_them_back(client, cast, project, smtp):
    smtp.refused["cm@vienne.test"] = GONE
    add_comment(cast["lussac"], project, "Premier message")
    send_immediate()
    admin = cast["admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    listing = reverse("admin:notifications_notification_changelist")
    client.force_login(cast["vienne"])  # not staff: the administration's login page
    assert client.get(listing).status_code == 302
    client.force_login(admin)
    page = client.get(listing, {"envoi": "mise_de_cote"}).content.decode()
    assert "Mailbox unavailable" in page and "cm@vienne.test" in page
    assert "ars@na.test" not in page  # sent, so not in this filter
    sent_page = client.get(listing, {"envoi": "envoyee"}).content.decode()
    assert "ars@na.test" in sent_page and "Mailbox unavailable" not in sent_page
    set_aside = Notification.objects.set_aside().get()
    del smtp.refused["cm@vienne.test"]
    response = client.post(listing, {"action": "retry", "_selected_action": [set_aside.pk]})
    assert response.status_code == 302
    set_aside.refresh_from_db()
    assert set_aside.failed_at is None and set_aside.failure_reason == ""
    assert send_immediate() == 1
    assert [mail.subject for mail in smtp.to("cm@vienne.test")] == [f"[OASIS] {project.nom} : commentaire de maire@lussac.test"]
    assert Notification.objects.get(pk=set_aside.pk).event == Event.COMMENTAIRE


def test_the_porteurs_access_e_mail_names_a_project_with_a_line_break_on_one_line(cast, project, smtp):
    from oasis.projects.carriers import give_access, send_access_link

    project.nom = "Lussac\r\nBcc: x@y"
    project.save(update_fields=["nom"])
    access = give_access(cast["vienne"], project, "porteur@lussac.test")
    send_access_link(access.pk)
    assert [mail.subject for mail in smtp.to("porteur@lussac.test")] == ["[OASIS] Votre accès au projet « Lussac Bcc: x@y »"]
    assert [mail.recipients for mail in smtp.mails] == [["porteur@lussac.test"]]
