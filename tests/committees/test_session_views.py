"""The committee's pages for each role and an outsider: the ARS prepares and holds the session, members and the
Département read it, others get nothing; the dossier and the minutes as PDF with their figures."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from oasis.committees import services
from oasis.committees.models import AgendaItem, Session
from oasis.projects.enums import Stage
from oasis.projects.models import Project

pytestmark = pytest.mark.django_db

READERS = ["admin", "ars_na", "cpam_na", "vienne"]
OUTSIDERS = ["charente_maritime", "ars_occitanie", "lussac", "medecin"]


def pdf_text(response) -> str:  # type: ignore[no-untyped-def]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.replace("-\n", "-").split())  # table cells wrap their words


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_reading_a_session(client, cast, filed, session, who):
    item = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    client.force_login(cast[who])
    expected = 200 if who in READERS else 404
    assert client.get(reverse("committee_detail", args=[session.pk])).status_code == expected
    assert client.get(reverse("committee_file", args=[session.pk, item.pk])).status_code == expected
    listed = client.get(reverse("committees"))
    assert listed.status_code == 200
    assert ("12 mai 2027" in listed.content.decode()) == (who in READERS)


def test_the_menu_and_list_are_closed_to_those_without_a_committee_role(client, cast):
    client.force_login(cast["lussac"])
    assert "Comités" not in client.get("/").content.decode()
    assert "12 mai 2027" not in client.get(reverse("committees")).content.decode()


@pytest.mark.parametrize("who", ["cpam_na", "vienne", "ars_occitanie", "lussac"])
def test_only_the_regions_ars_changes_the_session(client, cast, filed, second, session, who):
    item = services.add_to_agenda(cast["ars_na"], session, second.pk)  # the Département sees sessions of its projects
    client.force_login(cast[who])
    response = client.post(reverse("agenda_add", args=[session.pk]), {"project": filed.pk})
    assert response.status_code == (403 if who in ("cpam_na", "vienne") else 404)
    assert client.post(reverse("committee_convene", args=[session.pk])).status_code in (403, 404)
    assert client.post(reverse("agenda_remove", args=[session.pk, item.pk])).status_code in (403, 404)
    assert list(session.items.values_list("project_id", flat=True)) == [second.pk]
    assert client.get(reverse("committee_create")).status_code == (200 if who == "ars_occitanie" else 403)


def test_the_ars_creates_a_session_choosing_members_by_name(client, cast, urps, prefecture):
    client.force_login(cast["ars_na"])
    form = client.get(reverse("committee_create")).content.decode()
    assert "URPS médecins libéraux — Union régionale des professionnels de santé (URPS) (urps@na.test)" in form
    assert "ars@occitanie.test" not in form
    data = {
        "date": "2027-06-02",
        "lieu": "Préfecture, Poitiers",
        "copresident_ars": "Mme Martin",
        "copresident_prefecture": "M. Durand",
        "members": [str(urps.pk), str(prefecture.pk)],
        "external_members": "Conseil régional",
    }
    response = client.post(reverse("committee_create"), data, follow=True)
    assert "Séance créée" in response.content.decode()
    session = Session.objects.get(date="2027-06-02")
    assert session.region_id == "75" and session.members.count() == 2
    assert client.post(reverse("committee_create"), {**data, "date": ""}).status_code == 400


def test_a_whole_session_through_the_pages_with_dossier_and_minutes(client, cast, filed, second, session):
    client.force_login(cast["ars_na"])
    for project in (filed, second):
        assert client.post(reverse("agenda_add", args=[session.pk]), {"project": project.pk}).status_code == 302
    dossier = client.get(reverse("committee_files_pdf", args=[session.pk]))
    text = pdf_text(dossier)
    assert "Maison de santé de Lussac-les-Châteaux" in text and "Centre de santé de Chauvigny" in text
    assert "Non conforme au cahier des charges" in text and "Conforme au cahier des charges" in text
    assert client.post(reverse("committee_convene", args=[session.pk])).status_code == 302
    first, other = session.items.order_by("order")
    refused = client.post(
        reverse("committee_decide", args=[session.pk, first.pk]), {"decision": Stage.VALIDE, "reasons": "Bon projet"}
    )
    assert refused.status_code == 400 and "ne satisfait pas le cahier des charges" in refused.content.decode()
    decide = reverse("committee_decide", args=[session.pk, first.pk])
    assert client.post(decide, {"decision": Stage.A_REVOIR, "reasons": "Équipe à compléter"}).status_code == 302
    decide = reverse("committee_decide", args=[session.pk, other.pk])
    assert client.post(decide, {"decision": Stage.VALIDE, "reasons": "Équipe complète"}).status_code == 302
    early = client.post(reverse("committee_apply", args=[session.pk]))  # the session is on 12 May 2027
    assert early.status_code == 400
    assert escape(services.BEFORE_SESSION.format(date="12 mai 2027")) in early.content.decode()
    assert Project.objects.get(pk=filed.pk).stage == Stage.COMITE
    today = timezone.localdate()
    moved = client.post(reverse("committee_reschedule", args=[session.pk]), {"date": today.isoformat()}, follow=True)
    assert "Date de la séance changée." in moved.content.decode()
    response = client.post(reverse("committee_apply", args=[session.pk]), follow=True)
    assert "Décisions appliquées aux 2 projet(s)" in response.content.decode()
    assert Project.objects.get(pk=filed.pk).stage == Stage.A_REVOIR
    assert Project.objects.get(pk=second.pk).stage == Stage.VALIDE
    minutes = pdf_text(client.get(reverse("committee_minutes_pdf", args=[session.pk])))
    assert "Procès-verbal du comité régional de sélection" in minutes
    assert "Mme Martin, directrice de l'offre de soins" in minutes and "France Assos Santé" in minutes
    assert "À revoir (comité)" in minutes and "Équipe à compléter" in minutes and "Validé par le comité" in minutes


def test_the_dossier_cites_the_last_submitted_projet_de_sante_never_a_draft(client, cast, filed, session):
    from oasis.projects import projet_de_sante as pds

    item = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    client.force_login(cast["ars_na"])
    page = client.get(reverse("committee_file", args=[session.pk, item.pk])).content.decode()
    assert "Aucune version soumise dans OASIS" in page
    texts = {section.key: "Texte." for section in pds.SECTIONS}
    pds.save_draft(cast["vienne"], filed, texts)
    pds.submit(cast["vienne"], filed)
    pds.save_draft(cast["vienne"], filed, dict(texts, horaires="Nouveaux horaires"))
    page = client.get(reverse("committee_file", args=[session.pk, item.pk])).content.decode()
    assert "Version 1 soumise le" in page and "Version 2" not in page
    assert reverse("projet_de_sante_pdf", args=[filed.pk, 1]) in page


def test_a_refused_decision_keeps_what_was_typed_beside_the_derogation(client, cast, filed, session):
    item = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    services.convene(cast["ars_na"], session)
    client.force_login(cast["ars_na"])
    reasons = "Projet attendu par les élus ; équipe motivée, locaux prêts en septembre"
    response = client.post(
        reverse("committee_decide", args=[session.pk, item.pk]), {"decision": Stage.VALIDE, "reasons": reasons}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="reasons-{item.pk}"' in page and f">\n{escape(reasons)}</textarea>" in page
    assert f'<option value="{Stage.VALIDE}" selected>' in page
    assert f'<p class="fr-error-text" id="derogation-{item.pk}-erreur">' in page  # the reason beside its field
    assert 'class="fr-header"' in page  # in the site's layout
    assert AgendaItem.objects.get(pk=item.pk).decision == ""
    empty = client.post(reverse("committee_decide", args=[session.pk, item.pk]), {"decision": Stage.REFUSE, "reasons": ""})
    assert empty.status_code == 400 and f'<p class="fr-error-text" id="reasons-{item.pk}-erreur">' in empty.content.decode()
    assert f'<option value="{Stage.REFUSE}" selected>' in empty.content.decode()


@pytest.mark.parametrize("who", ["cpam_na", "vienne", "ars_occitanie", "lussac"])
def test_only_the_regions_ars_moves_the_session_through_the_page(client, cast, filed, session, who):
    services.add_to_agenda(cast["ars_na"], session, filed.pk)
    client.force_login(cast[who])
    response = client.post(reverse("committee_reschedule", args=[session.pk]), {"date": "2027-06-01"})
    assert response.status_code == (403 if who in ("cpam_na", "vienne") else 404)
    assert Session.objects.get(pk=session.pk).date.isoformat() == "2027-05-12"


def test_a_bad_new_date_is_shown_again_beside_its_field(client, cast, session):
    client.force_login(cast["ars_na"])
    response = client.post(reverse("committee_reschedule", args=[session.pk]), {"date": "2027-02-30"})
    page = response.content.decode()
    assert response.status_code == 400 and 'value="2027-02-30"' in page and 'id="id_date-erreur"' in page
    same = client.post(reverse("committee_reschedule", args=[session.pk]), {"date": "2027-05-12"})
    assert escape(services.SAME_DATE.format(date="12 mai 2027")) in same.content.decode()
