"""`oasis rappels`: the dated reminders at, just before and just after each threshold, sent through a real SMTP
server, once; the daily digest once a day; nothing lost when the SMTP server is down."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oasis.notifications.enums import Event, Frequency
from oasis.notifications.models import Notification
from oasis.notifications.services import set_frequency
from oasis.projects.models import Project
from oasis.recruitment.agreements import create_agreement, mark_paid
from oasis.recruitment.common import add_months
from oasis.recruitment.models import AidAgreement
from oasis.testing import free_port

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


def rappels(day: date = TODAY) -> str:
    out = StringIO()
    call_command("rappels", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def titles(event: str) -> list[str]:
    return sorted(Notification.objects.filter(event=event).values_list("title", flat=True))


def agreement(cast, candidate, scheme, **fields) -> AidAgreement:  # type: ignore[no-untyped-def]
    made = create_agreement(cast["vienne"], candidate, scheme, date(2026, 9, 1), date(2026, 9, 1), nb_mois=1)
    mark_paid(cast["vienne"], made, date(2026, 9, 1))
    AidAgreement.objects.filter(pk=made.pk).update(**fields)
    return AidAgreement.objects.get(pk=made.pk)


@pytest.mark.parametrize(("due", "told"), [(TODAY - timedelta(days=1), True), (TODAY, False), (TODAY + timedelta(days=1), False)])
def test_an_overdue_next_action_is_told_to_the_departement_once(project, cast, smtp, due, told):
    Project.objects.filter(pk=project.pk).update(next_action_due=due)
    rappels()
    expected = [f"{project.nom} : prochaine action en retard"] if told else []
    assert titles(Event.ACTION_EN_RETARD) == expected
    assert [mail.recipients for mail in smtp.mails] == ([["cm@vienne.test"]] if told else [])
    rappels()  # the same day again: nothing more
    assert len(smtp.mails) == (1 if told else 0)


def test_a_new_due_date_past_again_is_told_again_and_a_refused_project_never(project, cast):
    Project.objects.filter(pk=project.pk).update(next_action_due=TODAY - timedelta(days=3))
    rappels()
    Project.objects.filter(pk=project.pk).update(next_action_due=TODAY - timedelta(days=1))
    rappels()
    assert len(titles(Event.ACTION_EN_RETARD)) == 2
    Notification.objects.all().delete()
    Project.objects.filter(pk=project.pk).update(stage="refuse")
    rappels()
    assert titles(Event.ACTION_EN_RETARD) == []


@pytest.mark.parametrize(("days", "told"), [(-10, True), (0, True), (89, True), (90, True), (91, False)])
def test_an_installation_deadline_is_told_within_the_alert_period(cast, student, vienne_medecine, smtp, days, told):
    deadline = TODAY + timedelta(days=days)
    made = agreement(cast, student, vienne_medecine, installation_avant=deadline)
    rappels()
    assert len(titles(Event.INSTALLATION)) == (1 if told else 0)
    if told:
        mail = smtp.to("cm@vienne.test")[0]
        verb = "était attendue" if days < 0 else "est attendue"
        assert f"Convention n° {made.pk}" in mail.subject and verb in mail.subject
        assert f"/recrutement/conventions/{made.pk}/" in mail.text
        assert "Durand" not in mail.text + mail.subject  # the beneficiary is never named in an e-mail


def test_an_installed_or_broken_agreement_has_no_installation_reminder(cast, student, vienne_medecine):
    agreement(cast, student, vienne_medecine, installation_avant=TODAY, installe_le=TODAY - timedelta(days=5))
    agreement(cast, student, vienne_medecine, installation_avant=TODAY, rupture_le=TODAY - timedelta(days=5))
    rappels()
    assert titles(Event.INSTALLATION) == []


@pytest.mark.parametrize(("days", "told"), [(-3, True), (0, True), (7, True), (8, False)])
def test_an_unpaid_instalment_is_told_a_week_ahead(cast, student, vienne_medecine, days, told):
    made = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), TODAY + timedelta(days=days), nb_mois=1)
    AidAgreement.objects.filter(pk=made.pk).update(installation_avant=TODAY + timedelta(days=1000))
    rappels()
    expected = "était dû" if days < 0 else "est dû"
    assert [expected in title and "500,00 €" in title for title in titles(Event.VERSEMENT)] == ([True] if told else [])


def test_a_paid_instalment_or_a_broken_agreement_has_no_payment_reminder(cast, student, vienne_medecine):
    paid = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), TODAY, nb_mois=1)
    mark_paid(cast["vienne"], paid, TODAY)
    broken = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), TODAY, nb_mois=1)
    AidAgreement.objects.filter(pk__in=[paid.pk, broken.pk]).update(installation_avant=TODAY + timedelta(days=1000))
    AidAgreement.objects.filter(pk=broken.pk).update(rupture_le=TODAY - timedelta(days=1))
    rappels()
    assert titles(Event.VERSEMENT) == []


@pytest.mark.parametrize(("days", "told"), [(-1, False), (0, True), (90, True), (91, False)])
def test_the_end_of_a_commitment_is_told_within_the_alert_period(cast, student, vienne_medecine, days, told):
    end = TODAY + timedelta(days=days)
    installed = add_months(end, -84)
    assert add_months(installed, 84) == end
    agreement(cast, student, vienne_medecine, installation_avant=installed, installe_le=installed, duree_engagement_mois=84)
    rappels()
    assert len(titles(Event.FIN_ENGAGEMENT)) == (1 if told else 0)


def test_reminders_go_to_the_agreements_departement_only(cast, student, vienne_medecine):
    agreement(cast, student, vienne_medecine, installation_avant=TODAY)
    rappels()
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {"cm@vienne.test"}


def test_the_daily_digest_gathers_the_day_once_and_aucun_sends_nothing(project, cast, smtp):
    set_frequency(cast["vienne"], Frequency.QUOTIDIEN)
    set_frequency(cast["ars_na"], Frequency.AUCUN)
    from oasis.projects.services import add_comment

    add_comment(cast["lussac"], project, "Premier message")
    add_comment(cast["cpam_na"], project, "Second message")
    out = rappels()
    assert "1 récapitulatif(s)" in out
    digests = smtp.to("cm@vienne.test")
    assert len(digests) == 1
    assert digests[0].subject == "[OASIS] 2 notifications — récapitulatif du 1er mars 2027"
    assert "commentaire de maire@lussac.test" in digests[0].text and "commentaire de cpam@na.test" in digests[0].text
    assert smtp.to("ars@na.test") == []  # « aucun courriel »
    assert Notification.objects.filter(recipient=cast["ars_na"]).count() == 2  # … but told in OASIS
    add_comment(cast["lussac"], project, "Troisième message")
    rappels()
    assert len(smtp.to("cm@vienne.test")) == 1  # one digest a day
    rappels(TODAY + timedelta(days=1))
    assert len(smtp.to("cm@vienne.test")) == 2
    assert smtp.to("cm@vienne.test")[1].subject == "[OASIS] 1 notification — récapitulatif du 2 mars 2027"
    rappels(TODAY + timedelta(days=2))
    assert len(smtp.to("cm@vienne.test")) == 2  # nothing new, no empty digest


def test_an_unreachable_smtp_server_loses_nothing(project, cast, settings, smtp):
    Project.objects.filter(pk=project.pk).update(next_action_due=TODAY - timedelta(days=1))
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with pytest.raises(CommandError, match=r"Envoi des courriels impossible.*OASIS_SMTP_HOTE"):
        rappels()
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    settings.EMAIL_PORT = real_port
    assert "1 immédiat(s)" in rappels()
    assert len(smtp.mails) == 1
