"""The committed national bundle, loaded, against published and control figures."""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import F, Sum

from oasis.supply.enums import Equipement
from oasis.supply.models import StructureSeriesPoint, SupplyCount
from oasis.territories.models import Commune, CommuneType, Departement, Epci, Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def bpe_total(equipement, millesime=2019):
    return SupplyCount.objects.filter(equipement=equipement, millesime=millesime).aggregate(total=Sum("nombre"))["total"]


def test_territory_counts_of_the_cog_2025():
    assert Commune.objects.filter(type=CommuneType.COMMUNE).count() == 34_875
    assert Commune.objects.filter(type=CommuneType.ARRONDISSEMENT).count() == 45
    assert Departement.objects.count() == 101
    assert Region.objects.count() == 18
    assert Epci.objects.count() == 1_255


def test_population_totals():
    # Sum of the populations published with the COG 2025 (communes, PLM whole).
    assert Commune.objects.communes().aggregate(total=Sum("population"))["total"] == 68_350_798
    # DREES 2021 standardised population: the national total survives the crosswalk (Mayotte absent).
    standardised = Commune.objects.units().aggregate(total=Sum("pop_totale_drees"))["total"]
    assert standardised == pytest.approx(67_408_052, abs=1)


def test_bpe_2019_totals_survive_the_crosswalk():
    # INSEE BPE 2019 national totals: no professional lost or duplicated on the way to COG 2025.
    assert bpe_total(Equipement.GENERALISTE) == 61_429
    assert bpe_total(Equipement.MAISON_DE_SANTE) == 1_129
    assert bpe_total(Equipement.CENTRE_DE_SANTE) == 1_975
    assert bpe_total(Equipement.GENERALISTE, 2018) == 61_594


def test_barometre_figures_of_the_seeds():
    def msp(on, niveau="national", code="FR"):
        return StructureSeriesPoint.objects.get(niveau=niveau, code=code, indicateur="nb-maisons-sante", date=on).valeur

    assert msp(date(2021, 6, 30)) == 1_889
    assert msp(date(2021, 6, 30)) - msp(date(2017, 6, 30)) == 855
    assert msp(date(2021, 6, 30), "region", "76") == 226


def test_supply_is_only_on_the_finest_units():
    plm = Commune.objects.filter(arrondissements__isnull=False).distinct()
    assert set(plm.values_list("code_insee", flat=True)) == {"75056", "69123", "13055"}
    assert not SupplyCount.objects.filter(commune__in=plm).exists()


def test_every_commune_is_placed_in_france_and_consistent():
    assert not Commune.objects.exclude(region_id=F("departement__region_id")).exists()
    metropole = Commune.objects.exclude(departement__code__startswith="97")
    assert not metropole.filter(latitude__lt=41.3).exists() and not metropole.filter(latitude__gt=51.1).exists()
    assert not metropole.filter(longitude__lt=-5.2).exists() and not metropole.filter(longitude__gt=9.6).exists()
    # Only four island communes belong to no EPCI.
    assert set(Commune.objects.communes().filter(epci=None).values_list("code_insee", flat=True)) == {
        "22016",
        "29083",
        "29155",
        "85113",
    }


def test_poitiers():
    poitiers = Commune.objects.get(code_insee="86194")
    assert poitiers.nom == "Poitiers"
    assert poitiers.epci_id == "200069854"
    assert poitiers.bassin_de_vie_id == "86194"
    assert SupplyCount.objects.get(commune=poitiers, equipement="generaliste", millesime=2019).nombre == 106


def test_every_model_can_be_read():
    for model in apps.get_models():
        model.objects.first()
