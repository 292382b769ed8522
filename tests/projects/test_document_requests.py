"""Documents requested: the Département or the ARS asks for a document, the porteurs and the commune are told by
e-mail, the upload that answers the request closes it; bad requests and answers are refused; rights per role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.formatting import date_longue
from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.notifications.services import send_immediate
from oasis.projects import documents
from oasis.projects.models import DocumentRequest, ProjectGuest
from oasis.projects.services import NotAllowed
from tests.projects.conftest import make_user
from tests.projects.test_accompaniment import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def porteur(cast, project):  # type: ignore[no-untyped-def]
    user = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=user, invited_by=cast["vienne"])
    return user


def test_a_request_is_told_by_email_and_closed_by_the_upload_that_answers_it(cast, project, porteur, smtp, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    due = timezone.localdate() + timedelta(days=30)
    asked = documents.request_document(cast["vienne"], project, "statuts", "Statuts de la SISA", due)
    told = set(Notification.objects.filter(event=Event.DOCUMENT).values_list("recipient__email", flat=True))
    assert told == {"sisa@lussac.test", "ars@na.test", "cpam@na.test", "maire@lussac.test"}
    send_immediate()
    mail = smtp.to("sisa@lussac.test")[0]
    assert "document demandé « Statuts de la SISA » avant le" in mail.subject
    assert f"/projets/{project.pk}/documents/" in mail.text
    document = documents.upload(porteur, project, "statuts", "Statuts", "statuts.pdf", PDF, answers=asked.pk)
    asked.refresh_from_db()
    assert asked.document == document and asked.answered_at is not None
    depot = AuditEvent.objects.get(action="projet.document.depot")
    assert depot.details["demande"] == asked.pk
    with pytest.raises(ValueError) as refused:
        documents.upload(porteur, project, "statuts", "Encore", "statuts-2.pdf", PDF + b"%2", answers=asked.pk)
    assert str(refused.value) == documents.REQUEST_CLOSED


@pytest.mark.parametrize(("days", "accepted"), [(-1, False), (0, True), (1, True)])
def test_the_due_date_may_be_today_but_not_past(cast, project, days, accepted):
    due = timezone.localdate() + timedelta(days=days)
    if accepted:
        assert documents.request_document(cast["vienne"], project, "autre", "Plan des locaux", due).due == due
    else:
        with pytest.raises(ValueError) as refused:
            documents.request_document(cast["vienne"], project, "autre", "Plan des locaux", due)
        assert str(refused.value) == documents.REQUEST_DUE_PAST.format(due=date_longue(due))


def test_bad_requests_are_refused(cast, project):
    with pytest.raises(ValueError) as refused:
        documents.request_document(cast["vienne"], project, "bilan", "Bilan", None)
    assert str(refused.value) == documents.UNKNOWN_KIND.format(kind="bilan")
    with pytest.raises(ValueError) as refused:
        documents.request_document(cast["vienne"], project, "autre", "   ", None)
    assert str(refused.value) == documents.REQUEST_NO_TITLE
    assert not DocumentRequest.objects.exists()


@pytest.mark.parametrize("who", ["admin", "vienne", "ars_na", "cpam_na", "lussac", "porteur", "charente_maritime", "medecin"])
def test_who_requests_and_withdraws(client, cast, project, porteur, who):
    user = porteur if who == "porteur" else cast[who]
    instructs = who in ("admin", "vienne", "ars_na")
    sees = who not in ("charente_maritime", "medecin")
    client.force_login(user)
    response = client.post(reverse("document_request", args=[project.pk]), {"kind": "autre", "titre": "Plan"})
    assert response.status_code == (302 if instructs else 403 if sees else 404)
    assert DocumentRequest.objects.filter(project=project).exists() is instructs
    asked = documents.request_document(cast["vienne"], project, "autre", "Budget prévisionnel", None)
    withdraw = client.post(reverse("document_request_withdraw", args=[project.pk, asked.pk]))
    assert withdraw.status_code == (302 if instructs else 403 if sees else 404)
    if not instructs:
        with pytest.raises(NotAllowed):
            documents.withdraw_request(user, project, asked.pk)


def test_the_porteur_answers_a_request_through_the_page(client, cast, project, porteur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    asked = documents.request_document(cast["vienne"], project, "statuts", "Statuts de la SISA", None)
    client.force_login(porteur)
    page = client.get(reverse("project_documents", args=[project.pk])).content.decode()
    assert "Statuts de la SISA" in page and f'name="demande" value="{asked.pk}"' in page
    upload = {"kind": "statuts", "titre": "Statuts", "demande": str(asked.pk), "fichier": _file()}
    response = client.post(reverse("document_upload", args=[project.pk]), upload, follow=True)
    assert "Document déposé." in response.content.decode()
    asked.refresh_from_db()
    assert asked.answered_at is not None and asked.document is not None
    assert "reçu le" in client.get(reverse("project_documents", args=[project.pk])).content.decode()


def _file():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")
