"""Which tools a project may mobilise: each condition of a tool alone, met and not met, with the reason given in
words (carrier, kind of structure, zone, rural or urban commune, an Aides-territoires aid expired or withdrawn)."""

from datetime import date

import pytest

from oasis.connectors.enums import AideStatus
from oasis.connectors.models import Aide
from oasis.projects.enums import TerritoryCondition, ZoneCondition
from oasis.projects.funding import VIVIER_PENDING, ProjectSituation, eligibility
from oasis.projects.models import FundingTool
from oasis.verdicts.services import Verdict


def _verdict(sous_dense, zone, source):
    return Verdict("86140", "generaliste", sous_dense, zone, source, "2024-03-01", None, None, "libellé")


OFFICIAL_ZIP = _verdict(True, "ZIP", "arrete-ars")
OFFICIAL_HZ = _verdict(False, "HZ", "arrete-ars")
VIVIER = _verdict(None, "vivier", "apl-drees")
UNKNOWN = _verdict(None, None, "estimation")


def facts(carrier="commune", kind="msp", rurale=True, zonage=OFFICIAL_ZIP) -> ProjectSituation:
    return ProjectSituation(carrier=carrier, kind=kind, rurale=rurale, sous_dense=zonage.sous_dense, zonage=zonage)


def reasons(tool: FundingTool, situation: ProjectSituation) -> list[str]:
    result = eligibility(tool, situation)
    assert result.tool is tool
    assert result.eligible is (not result.reasons)
    return result.reasons


def test_a_tool_without_conditions_is_open_to_every_project():
    tool = FundingTool(code="libre")
    for situation in (facts(), facts("sisa", "centre-de-sante", False, OFFICIAL_HZ), facts(zonage=UNKNOWN)):
        assert reasons(tool, situation) == []


def test_the_carriers_named_by_the_tool():
    tool = FundingTool(porteurs=["commune", "epci", "ancien-code"])
    assert reasons(tool, facts(carrier="epci")) == []
    assert reasons(tool, facts(carrier="sisa")) == ["porteur SISA (réservé à : Commune, EPCI)"]


def test_the_kinds_of_structure_named_by_the_tool():
    tool = FundingTool(types_structure=["centre-de-sante"])
    assert reasons(tool, facts(kind="centre-de-sante")) == []
    assert reasons(tool, facts(kind="msp")) == ["type de structure (réservé à : Centre de santé)"]
    both = FundingTool(types_structure=["msp", "msp-multisite"])
    assert reasons(both, facts(kind="cpts")) == [
        "type de structure (réservé à : Maison de santé pluriprofessionnelle (mono-site), "
        "Maison de santé multi-site / pôle de santé)"
    ]


def test_under_served_zones_only():
    tool = FundingTool(zone=ZoneCondition.SOUS_DENSE)
    assert reasons(tool, facts(zonage=OFFICIAL_ZIP)) == []
    assert reasons(tool, facts(zonage=OFFICIAL_HZ)) == ["commune hors zone sous-dense (Hors zonage)"]
    assert reasons(tool, facts(zonage=UNKNOWN)) == ["sous-densité inconnue"]
    assert reasons(tool, facts(zonage=VIVIER)) == [VIVIER_PENDING]
    assert eligibility(tool, facts(zonage=VIVIER)).a_confirmer
    assert not eligibility(tool, facts(zonage=UNKNOWN)).a_confirmer


def test_outside_under_served_zones_only():
    tool = FundingTool(zone=ZoneCondition.HORS_SOUS_DENSE)
    assert reasons(tool, facts(zonage=OFFICIAL_HZ)) == []
    assert reasons(tool, facts(zonage=OFFICIAL_ZIP)) == ["commune en zone sous-dense (Zone d'intervention prioritaire (ZIP))"]
    assert reasons(tool, facts(zonage=UNKNOWN)) == ["sous-densité inconnue"]
    assert reasons(tool, facts(zonage=VIVIER)) == [VIVIER_PENDING]


def test_rural_or_urban_communes_only():
    rural, urban = FundingTool(territoire=TerritoryCondition.RURAL), FundingTool(territoire=TerritoryCondition.URBAIN)
    assert reasons(rural, facts(rurale=True)) == reasons(urban, facts(rurale=False)) == []
    assert reasons(rural, facts(rurale=False)) == ["commune urbaine (réservé aux communes rurales)"]
    assert reasons(urban, facts(rurale=True)) == ["commune rurale (réservé aux communes urbaines)"]


@pytest.mark.parametrize(
    ("statut", "expected"),
    [
        (AideStatus.OUVERTE, []),
        (AideStatus.EXPIREE, ["date limite de dépôt passée (1er mars 2027)"]),
        (AideStatus.RETIREE, ["aide retirée d'Aides-territoires"]),
    ],
)
def test_an_aid_of_aides_territoires_open_expired_or_withdrawn(statut, expected):
    tool = FundingTool(aide=Aide(statut=statut, date_limite=date(2027, 3, 1)))
    assert reasons(tool, facts()) == expected


def test_every_failed_condition_is_given_in_order():
    tool = FundingTool(
        porteurs=["sisa"],
        types_structure=["cpts"],
        zone=ZoneCondition.SOUS_DENSE,
        territoire=TerritoryCondition.URBAIN,
        aide=Aide(statut=AideStatus.RETIREE),
    )
    assert reasons(tool, facts(zonage=OFFICIAL_HZ)) == [
        "porteur Commune (réservé à : SISA)",
        "type de structure (réservé à : Communauté professionnelle territoriale de santé (CPTS))",
        "commune hors zone sous-dense (Hors zonage)",
        "commune rurale (réservé aux communes urbaines)",
        "aide retirée d'Aides-territoires",
    ]
