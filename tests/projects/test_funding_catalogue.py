"""A Département's own funding tools, entered by its officers: offered to the projects of their territory and not
elsewhere, while open; an officer edits only its own département's tools, every change audited."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.projects.catalogue import TERRITORY_OUTSIDE, TOOL_NOT_YOURS, save_tool
from oasis.projects.funding import TOOL_CLOSED, LineEntry, LineRefused, mobilisable_tools, offered_tools, save_line
from oasis.projects.models import FundingTool
from oasis.projects.services import create_project
from tests.factories import NewProjectFactory

STUDY = {
    "nom": "Étude de faisabilité par un bureau d'études",
    "financeur": "Département de la Vienne",
    "nature": "etude",
    "public": "on",
    "porteurs": ["commune", "epci"],
    "territoires": "",
    "montant_max": "15000",
    "taux_max": "50",
    "zone": "toute",
    "territoire": "tout",
    "ouvert_le": "2026-01-01",
    "ouvert_jusqu_au": "2027-12-31",
    "conditions": "Étude confiée à un bureau d'études.",
    "source": "délibération du conseil départemental",
}
ON = date(2026, 12, 7)


@pytest.fixture
def niort(cast):  # type: ignore[no-untyped-def]
    return create_project(cast["admin"], NewProjectFactory(nom="Maison de santé de Niort", commune_principale="79191"))


def _codes(project, on: date = ON) -> set[str]:  # type: ignore[no-untyped-def]
    return {tool.code for tool in offered_tools(project, on)}


def test_an_officer_enters_a_study_aid_offered_in_the_vienne_and_not_in_the_deux_sevres(cast, client, project, niort):
    client.force_login(cast["vienne"])
    response = client.post(reverse("funding_tool_create"), STUDY)
    assert response.status_code == 302
    tool = FundingTool.objects.get(nom=STUDY["nom"])
    assert (tool.departement_id, tool.porteurs, tool.montant_max, tool.taux_max) == (
        "86",
        ["commune", "epci"],
        Decimal("15000"),
        Decimal("50"),
    )
    event = AuditEvent.objects.get(action="outil.creation", objet_id=str(tool.pk))
    assert event.user == cast["vienne"] and event.details["apres"]["validite"] == ["2026-01-01", "2027-12-31"]
    assert tool.code in _codes(project) and tool.code not in _codes(niort)
    rows = {row.tool.code: row for row in mobilisable_tools(project, ON)[1]}
    assert rows[tool.code].eligible
    page = html.unescape(client.get(reverse("project_funding", args=[project.pk])).content.decode())
    assert f'data-outil="{tool.code}" data-eligible="oui"' in page
    catalogue = client.get(reverse("funding_catalogue")).content.decode()
    assert tool.code in catalogue


def test_a_tool_for_named_communes_is_offered_only_there_and_only_while_open(cast, project, niort):
    tool = save_tool(
        cast["vienne"],
        FundingTool(
            nom="Aide Chauvigny",
            financeur="D86",
            nature="etude",
            territoires=["com:86070"],
            ouvert_le=date(2027, 1, 1),
            ouvert_jusqu_au=date(2027, 6, 30),
        ),
    )
    chauvigny = create_project(cast["vienne"], NewProjectFactory(nom="MSP Chauvigny", commune_principale="86070"))
    assert tool.code not in _codes(project, date(2027, 3, 1))  # Lussac
    assert tool.code not in _codes(chauvigny, date(2026, 12, 31))
    assert tool.code in _codes(chauvigny, date(2027, 1, 1))
    assert tool.code in _codes(chauvigny, date(2027, 6, 30))
    assert tool.code not in _codes(chauvigny, date(2027, 7, 1))
    # A request dated after its last day is refused; one dated on it is kept, and the tool stays on the plan after.
    with pytest.raises(LineRefused) as refused:
        save_line(cast["vienne"], chauvigny, LineEntry(tool=tool.code, demande=Decimal(1000), demande_le=date(2027, 7, 1)))
    assert str(refused.value) == TOOL_CLOSED.format(nom="Aide Chauvigny", validite="fermé depuis le 1er juillet 2027")
    save_line(cast["vienne"], chauvigny, LineEntry(tool=tool.code, demande=Decimal(1000), demande_le=date(2027, 6, 30)))
    row = {r.tool.code: r for r in mobilisable_tools(chauvigny, date(2027, 7, 1))[1]}[tool.code]
    assert not row.eligible and row.reasons == ["fermé depuis le 1er juillet 2027"]
    with pytest.raises(ValueError, match=TERRITORY_OUTSIDE.format(nom="Niort", departement="86")):
        save_tool(cast["vienne"], FundingTool(nom="Ailleurs", financeur="D86", nature="etude", territoires=["com:79191"]))


def test_an_officer_edits_only_its_own_departements_tools(cast, client):
    vienne = save_tool(cast["vienne"], FundingTool(nom="Outil 86", financeur="D86", nature="etude"))
    national = FundingTool.objects.get(code="detr")
    assert national.ouvert_le == date(2011, 1, 1)
    client.force_login(cast["charente_maritime"])
    assert client.post(reverse("funding_tool_edit", args=[vienne.pk]), {**STUDY, "nom": "Piraté"}).status_code == 403
    assert client.get(reverse("funding_tool_edit", args=[national.pk])).status_code == 403
    assert vienne.code not in client.get(reverse("funding_catalogue")).content.decode()
    with pytest.raises(PermissionError, match=TOOL_NOT_YOURS):
        save_tool(cast["charente_maritime"], FundingTool.objects.get(pk=vienne.pk))
    # A tool created by the Charente-Maritime is its own, whatever département is asked.
    own = save_tool(cast["charente_maritime"], FundingTool(nom="Outil 17", financeur="D17", nature="etude"), "86")
    assert own.departement_id == "17"
    client.force_login(cast["ars_na"])
    assert client.get(reverse("funding_tool_create")).status_code == 403
    client.force_login(cast["lussac"])
    assert client.get(reverse("funding_catalogue")).status_code == 404
    client.force_login(cast["vienne"])
    response = client.post(reverse("funding_tool_edit", args=[vienne.pk]), {**STUDY, "nom": "Outil 86 modifié"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="outil.modification", objet_id=str(vienne.pk))
    assert (event.details["avant"]["nom"], event.details["apres"]["nom"]) == ("Outil 86", "Outil 86 modifié")


def test_dates_in_the_wrong_order_are_refused_with_the_input_kept(cast, client):
    client.force_login(cast["vienne"])
    response = client.post(reverse("funding_tool_create"), {**STUDY, "ouvert_jusqu_au": "2025-12-31"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "La date de fin précède la date d'ouverture." in page
    assert STUDY["nom"] in page and not FundingTool.objects.filter(nom=STUDY["nom"]).exists()
