"""One value per figure and vintage: a territory's population (the INSEE population municipale 2022 in force on
1 January 2025, published with the COG 2025), its estimated APL and its inhabitants in under-served communes read the
same on the territory page, the état des lieux, the siting result and the API, for a commune, an EPCI, a département
and a région. The Vienne's 438 897 is the figure of its territory page; the siting once counted the DREES's 2021
population instead (« sur 439 385 »)."""

import html
import re

import pytest
from django.db.models import Sum

from oasis.formatting import fr_number
from oasis.planning.services import PlanningOptions, plan
from oasis.territories.models import Commune
from oasis.territories.services import POPULATION_SOURCE, get_territory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

TERRITORIES = [
    ("commune", "86041", "com", "code_insee"),  # Buxerolles (no maison or centre de santé: a site to propose)
    ("epci", "200069854", "epci", "epci_id"),  # Grand Poitiers
    ("departement", "86", "dep", "departement_id"),  # Vienne
    ("region", "75", "reg", "region_id"),  # Nouvelle-Aquitaine
]


def spaced(value: str) -> str:
    return value.replace("\u202f", " ").replace("\xa0", " ")


def text(response) -> str:
    """The page as read: tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", spaced(response.content.decode()))).split())


def number(value: float) -> str:
    return spaced(fr_number(value))


@pytest.mark.parametrize(("niveau", "code", "ref", "field"), TERRITORIES)
def test_the_same_population_apl_and_counts_everywhere(client, niveau, code, ref, field):
    # The population of the territory's communes, summed here from the loaded COG 2025 (PLM communes whole).
    expected = Commune.objects.communes().filter(**{field: code}).aggregate(total=Sum("population"))["total"]
    if niveau == "departement":
        assert expected == 438_897

    page = client.get(f"/territoires/{niveau}/{code}/")
    assert page.context["figures"].population == expected
    assert f"{number(expected)} habitants" in text(page)
    assert POPULATION_SOURCE[0].upper() + POPULATION_SOURCE[1:] in text(page)

    report = client.get(f"/territoires/{niveau}/{code}/etat-des-lieux/")
    diagnosis = report.context["d"]
    assert diagnosis.demography.population == expected
    assert f"{number(expected)} habitants" in text(report)

    assert client.get(f"/api/territoires/{niveau}/{code}").json()["population"] == expected
    api_apl = client.get("/api/apl", {"profession": "generaliste", "territoire": f"{ref}:{code}"}).json()
    assert api_apl["resume_territoire"]["population"] == expected
    assert sum(row["population"] for row in api_apl["communes"]) == expected

    siting = plan(PlanningOptions(territory=get_territory(niveau, code), sites=1, methode="glouton"))
    assert siting.population_totale == expected
    assert siting.provenance["population"] == POPULATION_SOURCE

    # The estimated APL and the inhabitants of the communes it finds under-served, on every page and in the API.
    gp = diagnosis.professions[0]
    assert gp.equipement == "generaliste"
    assert page.context["estimate_gp"] == pytest.approx(gp.apl) == pytest.approx(api_apl["resume_territoire"]["apl_moyen"])
    assert gp.population_sous_dotee == pytest.approx(api_apl["resume_territoire"]["population_sous_dotee"])
    under = [row["code_insee"] for row in api_apl["communes"] if row["sous_dense_estimation"]]
    assert gp.population_sous_dotee == sum(Commune.objects.filter(pk__in=under).values_list("population", flat=True))
    # The verdicts' « sous-dense » inhabitants: the territory page and the état des lieux say the same, in the same
    # population.
    if niveau != "commune":
        counts = page.context["verdict_counts"]
        assert counts.population == expected
        assert (counts.population_sous_dense, counts.communes_sous_denses) == (
            gp.verdicts.population_sous_dense,
            gp.verdicts.communes_sous_denses,
        )
        assert f"{number(counts.population_sous_dense)} habitants en commune sous-dense" in text(page)
