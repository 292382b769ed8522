"""The DETR by population (CGCT art. L2334-33), not « rural only »: a commune of 2 000 inhabitants at most is
eligible; from 2 001 to 20 000 it depends on its potentiel financier, which OASIS does not hold (« à confirmer »);
above 20 000 it is not; an EPCI of 75 000 at most is, above it is to confirm. Populations are the INSEE population
municipale of the territory pages, read independently here."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from oasis.projects import funding
from oasis.projects.models import FundingTool
from oasis.projects.services import create_project
from oasis.territories.models import Commune
from tests.factories import NewProjectFactory

LOUDUN, POITIERS, AVAILLES = "86137", "86194", "86014"


def detr_row(cast, commune: str, carrier: str = "commune", niveau: str = "commune", code: str | None = None):
    project = create_project(
        cast["vienne"],
        NewProjectFactory(
            commune_principale=commune,
            carrier=carrier,
            collectivite_niveau=niveau,
            collectivite_code=code or commune,
        ),
    )
    _, rows = funding.mobilisable_tools(project)
    return next(row for row in rows if row.tool.code == "detr")


def test_the_detr_follows_the_population_not_the_rural_category(cast):
    assert FundingTool.objects.get(code="detr").territoire == "detr"
    loudun = Commune.objects.get(pk=LOUDUN)
    assert 2_000 < loudun.population <= 20_000 and not loudun.est_rurale  # urban by the AAV, yet a DETR commune
    row = detr_row(cast, LOUDUN)
    assert not row.eligible and row.a_confirmer
    assert row.reasons == [funding.DETR_COMMUNE_PENDING.format(population="6\u202f839")]
    poitiers = detr_row(cast, POITIERS)
    assert not poitiers.eligible and not poitiers.a_confirmer
    assert poitiers.reasons == ["commune de 89\u202f916 habitants (DETR : 20\u202f000 habitants au plus)"]
    assert Commune.objects.get(pk=AVAILLES).population <= 2_000
    small = detr_row(cast, AVAILLES)
    assert small.eligible and not small.a_confirmer  # nothing left to confirm


def test_an_epci_carrier_is_judged_on_its_epci_population(cast):
    loudunais = Commune.objects.get(pk=LOUDUN).epci_id
    total = Commune.objects.communes().filter(epci_id=loudunais).aggregate(t=Sum("population"))["t"]
    assert total <= 75_000
    assert detr_row(cast, LOUDUN, carrier="epci", niveau="epci", code=loudunais).eligible
    grand_poitiers = Commune.objects.get(pk=POITIERS).epci_id
    row = detr_row(cast, POITIERS, carrier="epci", niveau="epci", code=grand_poitiers)
    assert row.a_confirmer and "EPCI de 197\u202f408 habitants" in row.reasons[0]


@pytest.mark.parametrize(
    ("population", "refused", "pending"),
    [
        (2_000, False, False),
        (2_001, False, True),
        (20_000, False, True),
        (20_001, True, False),
    ],
)
def test_the_commune_thresholds_at_and_around_their_values(population, refused, pending):
    facts = funding.ProjectSituation(
        carrier="commune", kind="msp", rurale=False, sous_dense=None, zonage=None, population_commune=population
    )  # type: ignore[arg-type]
    no, to_confirm = funding._detr(facts)
    assert bool(no) is refused and bool(to_confirm) is pending


@pytest.mark.parametrize(("population", "pending"), [(75_000, False), (75_001, True)])
def test_the_epci_threshold_at_and_around_its_value(population, pending):
    facts = funding.ProjectSituation(
        carrier="epci", kind="msp", rurale=False, sous_dense=None, zonage=None, population_epci=population
    )  # type: ignore[arg-type]
    assert funding._detr(facts) == ([], [funding.DETR_EPCI_PENDING.format(population="75\u202f001")] if pending else [])


def test_another_condition_is_not_hidden_behind_to_confirm(cast):
    row = detr_row(cast, LOUDUN, carrier="association")
    assert not row.eligible and not row.a_confirmer  # the carrier refuses it, whatever the potentiel financier
