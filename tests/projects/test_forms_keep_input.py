"""A refused form comes back as it was typed, in the site's layout, with the reason beside the field it concerns:
a funding line granted without its date, a forged due date, a move without its reason, an empty comment, a team
member with an unknown profession; and none of them changes anything."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from oasis.projects import funding
from oasis.projects.enums import Stage
from oasis.projects.models import FundingLine, Project, TeamMember
from oasis.projects.stages import NOT_CONFORMING
from oasis.www.projects_views import UNKNOWN_MEMBER

pytestmark = pytest.mark.django_db

LAYOUT = 'class="fr-header"'


def field_error(page: str, field: str) -> str:
    """The text of the error shown beside a field (the DSFR « fr-error-text » that follows it)."""
    start = page.index(f'id="{field}-erreur">')
    return page[start:].split(">", 1)[1].split("</p>", 1)[0]


@pytest.fixture
def officer(client, cast):  # type: ignore[no-untyped-def]
    client.force_login(cast["vienne"])
    return cast["vienne"]


def test_a_line_granted_without_its_date_keeps_every_amount_typed(client, officer, project):
    sent = {"tool": "detr", "objet": "Extension du cabinet infirmier", "demande": "300000", "demande_le": "2026-10-02"}
    sent |= {"accorde": "275000", "accorde_le": "", "verse": "", "verse_le": ""}
    response = client.post(reverse("funding_line_add", args=[project.pk]), sent)
    page = response.content.decode()
    assert response.status_code == 400 and LAYOUT in page
    assert 'value="Extension du cabinet infirmier"' in page
    assert 'value="300000"' in page and 'value="275000"' in page and 'value="2026-10-02"' in page
    assert '<option value="detr" selected>' in page
    assert field_error(page, "id_accorde_le") == escape(funding.GRANT_DATE_MISSING)
    assert not FundingLine.objects.exists()


def test_a_paid_amount_over_the_granted_one_is_shown_beside_the_paid_amount(client, officer, project):
    sent = {"tool": "detr", "objet": "", "demande": "1000", "accorde": "500", "accorde_le": "2026-11-02"}
    sent |= {"verse": "800", "verse_le": "2026-11-20"}
    page = client.post(reverse("funding_line_add", args=[project.pk]), sent).content.decode()
    assert field_error(page, "id_verse") == escape(funding.PAID_OVER_GRANTED) and 'value="800"' in page


def test_a_forged_due_date_comes_back_in_the_layout_beside_its_field(client, officer, project):
    response = client.post(
        reverse("project_next_action", args=[project.pk]),
        {"next_action": "Visite des locaux avec l'architecte", "next_action_due": "2027-02-31"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and LAYOUT in page and "<h1>Maison de santé de Lussac-les-Châteaux" in page
    assert 'value="Visite des locaux avec l&#x27;architecte"' in page and 'value="2027-02-31"' in page
    assert field_error(page, "id_next_action_due") == "Saisissez une date valide."
    assert Project.objects.get(pk=project.pk).next_action == "Réunion d'information"


def test_a_move_refused_for_lack_of_derogation_keeps_the_reason_typed(client, cast, project):
    Project.objects.filter(pk=project.pk).update(stage=Stage.COMITE)
    client.force_login(cast["ars_na"])  # the ARS validates
    reason = "Avis favorable du comité du 12 mai"
    response = client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.VALIDE, "reason": reason})
    page = response.content.decode()
    assert response.status_code == 400 and LAYOUT in page
    assert f">{escape(reason)}</textarea>" in page and f'<option value="{Stage.VALIDE}" selected>' in page
    assert field_error(page, "derogation").startswith(escape(NOT_CONFORMING.split("{")[0]))
    assert Project.objects.get(pk=project.pk).stage == Stage.COMITE
    empty = client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.SUSPENDU, "reason": ""})
    assert empty.status_code == 400 and LAYOUT in empty.content.decode()
    assert field_error(empty.content.decode(), "reason") == "Ce champ est obligatoire."


def test_an_empty_comment_and_an_unknown_profession_come_back_in_the_layout(client, officer, project):
    empty = client.post(reverse("project_comment", args=[project.pk]), {"text": "   "})
    assert empty.status_code == 400 and LAYOUT in empty.content.decode()
    assert field_error(empty.content.decode(), "id_text") == "Ce champ est obligatoire."
    sent = {"profession": "astrologue", "status": "associe-liberal", "label": "Dr Martin", "rpps": "10001234567"}
    response = client.post(reverse("project_team_add", args=[project.pk]), sent)
    page = response.content.decode()
    assert response.status_code == 400 and LAYOUT in page and escape(UNKNOWN_MEMBER) in page
    assert 'value="Dr Martin"' in page and 'value="10001234567"' in page
    assert '<option value="associe-liberal" selected>' in page
    assert not TeamMember.objects.exists()
