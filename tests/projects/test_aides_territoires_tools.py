"""Aids imported from the Aides-territoires stand-in become the funding tools of the projects in their perimeter."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from oasis.connectors.aides_territoires import synchronise
from oasis.connectors.models import Aide
from oasis.projects.funding import mobilisable_tools
from oasis.projects.models import FundingLine, FundingTool
from tests.connectors.standins import AidesTerritoires, aid, serving

TODAY = date(2026, 11, 28)


@pytest.fixture
def service(settings):  # type: ignore[no-untyped-def]
    standin = AidesTerritoires(
        [
            aid(1, "Création de maisons de santé", "Vienne (Département)", ["Communes"], subvention_rate_upper_bound=40),
            aid(2, "Installation des médecins", "Vienne (Département)", ["Entreprises privées"]),
            aid(3, "Équipement des centres de santé", "France", ["Associations"], submission_deadline="2026-11-27"),
            aid(4, "Santé en Gironde", "Gironde (Département)", ["Communes"]),
            aid(5, "Maisons de santé du Grand Poitiers", "CU du Grand Poitiers (EPCI)", ["Communes"]),
        ]
    )
    with serving(standin):
        settings.OASIS_AIDES_TERRITOIRES_URL = standin.base_url
        settings.OASIS_AIDES_TERRITOIRES_KEY = AidesTerritoires.API_KEY
        settings.OASIS_AIDES_TERRITOIRES_SEARCHES = ["santé", "installation"]
        settings.OASIS_CONNECTOR_BACKOFF_SECONDS = 0
        yield standin


def _rows(project, on: date = TODAY) -> dict[str, tuple[bool, list[str]]]:  # type: ignore[no-untyped-def]
    return {row.tool.code: (row.eligible, row.reasons) for row in mobilisable_tools(project, on)[1] if row.tool.aide_id}


def test_a_project_is_offered_the_aids_of_its_perimeter(service, project, client, cast):
    synchronise(today=TODAY)
    assert Aide.objects.count() == 5
    # Lussac-les-Châteaux (86140) is in the Vienne, not in Gironde nor in the Grand Poitiers; aid 2 is for professionals.
    # Aid 3's deadline, 27 November 2026, is its last day: offered on it, no longer the day after.
    assert _rows(project) == {"at-1": (True, [])}
    assert _rows(project, date(2026, 11, 27)) == {
        "at-1": (True, []),
        "at-3": (False, ["porteur Commune (réservé à : Association de professionnels)"]),
    }
    assert FundingTool.objects.get(code="at-3").ouvert_jusqu_au == date(2026, 11, 27)
    tool = FundingTool.objects.get(code="at-1")
    assert (tool.nom, tool.financeur, tool.porteurs, str(tool.taux_max)) == (
        "Création de maisons de santé",
        "Département de la Vienne",
        ["commune"],
        "40.00",
    )
    client.force_login(cast["vienne"])
    page = client.get(reverse("project_funding", args=[project.pk])).content.decode()
    assert re.search(r'data-outil="at-1" data-eligible="oui"', page)
    assert "at-4" not in page and "at-5" not in page and "at-2" not in page
    response = client.post(
        reverse("funding_line_add", args=[project.pk]), {"tool": "at-1", "demande": "150000", "objet": "Travaux"}
    )
    assert response.status_code == 302
    assert FundingLine.objects.get(project=project).tool == tool


def test_a_withdrawn_aid_keeps_its_tool_and_says_so(service, project, cast):
    synchronise(today=TODAY)
    FundingLine.objects.create(project=project, tool=FundingTool.objects.get(code="at-1"), demande=1000)
    service.aids = service.aids[1:]
    synchronise(today=TODAY)
    synchronise(today=TODAY)
    assert FundingTool.objects.filter(code__startswith="at-").count() == 4
    assert _rows(project)["at-1"] == (False, ["aide retirée d'Aides-territoires"])


def test_the_aids_for_professionals_are_shown_with_the_schemes(service, cast, client):
    service.aids.append(aid(6, "Installation en Gironde", "Gironde (Département)", ["Entreprises privées"]))
    service.aids.append(aid(7, "Installation des sages-femmes", "France", ["Particuliers"], submission_deadline="2027-03-31"))
    synchronise(today=TODAY)
    client.force_login(cast["vienne"])
    page = client.get(reverse("schemes")).content.decode()
    assert "<title>Dispositifs d'aide" in page and page.count('id="table-aides-territoires"') == 1
    table = page.split('id="table-aides-territoires"', 1)[1].split("</table>", 1)[0]
    # The Vienne officer: the Vienne's and France's aids for professionals, not the Gironde's nor the communes'.
    assert "Installation des médecins" in table and "Installation des sages-femmes" in table and "31 mars 2027" in table
    assert "Installation en Gironde" not in table and "Création de maisons de santé" not in table


def test_a_public_vacancy_shows_the_open_aids_for_professionals_of_its_place(service, cast, client):
    from oasis.recruitment.vacancies import VacancyData, create_vacancy

    service.aids.append(aid(7, "Installation des sages-femmes", "France", ["Particuliers"], submission_deadline="2026-01-31"))
    synchronise(today=TODAY)
    vacancy = create_vacancy(
        cast["vienne"], VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie")
    )
    page = client.get(reverse("portal_vacancy", args=[vacancy.pk])).content.decode()
    listed = page.split('id="aides-territoires"', 1)[1].split("</ul>", 1)[0]
    # Chauvigny is in the Vienne: its professionals' aid is listed; the expired national one and the communes' are not.
    assert "Installation des médecins" in listed
    assert "Installation des sages-femmes" not in listed and "Création de maisons de santé" not in listed
