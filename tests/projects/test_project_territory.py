"""A project's territory is its main commune plus the other communes it serves, everywhere it is shown: the project
page and its état des lieux link, the comité's file, the projet de santé's needs, the API; and the migration that
leaves the main commune out of the stored « autres communes »."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.db.models import Sum
from django.urls import reverse

from oasis.committees import services as committees
from oasis.committees.files import project_file
from oasis.projects.models import Project
from oasis.territories.models import Commune
from tests.committees.conftest import file_project, prefecture, session, urps  # noqa: F401

pytestmark = pytest.mark.django_db

POITIERS, BUXEROLLES = "86194", "86041"


@pytest.fixture
def poitiers(client, cast):  # type: ignore[no-untyped-def]
    """Created through the page as an officer types it: Poitiers, and « Autres communes desservies : Buxerolles »."""
    client.force_login(cast["vienne"])
    response = client.post(
        reverse("project_create"),
        {
            "nom": "Maison de santé des Couronneries",
            "kind": "msp",
            "carrier": "commune",
            "carrier_name": "Ville de Poitiers",
            "commune_principale": "Poitiers",
            "communes_desservies": "Buxerolles (86041)",  # as the list offers it
            "collectivite_code": "Poitiers",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Project.objects.get(nom="Maison de santé des Couronneries")


def population(*codes: str) -> int:
    """Read from the communes themselves, not through the diagnosis."""
    return int(Commune.objects.filter(code_insee__in=codes).aggregate(total=Sum("population"))["total"])


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_territory_is_the_main_commune_and_the_others(poitiers):
    assert list(poitiers.communes_desservies.values_list("pk", flat=True)) == [BUXEROLLES]
    assert poitiers.territory_codes() == [BUXEROLLES, POITIERS]


def test_the_project_page_names_both_communes_and_links_their_etat_des_lieux(client, poitiers):
    page = client.get(reverse("project_detail", args=[poitiers.pk])).content.decode()
    assert "Territoire desservi 2 communes : Buxerolles, Poitiers" in text(page)
    link = reverse("diagnostic", args=["set", f"{BUXEROLLES},{POITIERS}"])
    assert f'href="{link}" id="etat-des-lieux-projet"' in page
    assert f"territoire=set:{BUXEROLLES},{POITIERS}" in page


def test_the_committee_file_counts_the_inhabitants_of_both_communes(cast, poitiers, session):  # noqa: F811
    file_project(cast, poitiers)
    item = committees.add_to_agenda(cast["ars_na"], session, poitiers.pk)
    demography = project_file(item).diagnosis.demography
    assert demography.nombre_communes == 2
    assert demography.population == population(POITIERS, BUXEROLLES) > population(BUXEROLLES)


def test_the_projet_de_sante_needs_and_link_cover_both_communes(client, poitiers):
    page = client.get(reverse("projet_de_sante", args=[poitiers.pk]) + "?diagnostic=1").content.decode()
    inhabitants = f"{population(POITIERS, BUXEROLLES):,}".replace(",", "\u202f")
    assert f"Territoire : Buxerolles et Poitiers, 2 communes, {inhabitants} habitants." in page
    assert reverse("diagnostic", args=["set", f"{BUXEROLLES},{POITIERS}"]) in page


def test_the_api_gives_the_territory(client, poitiers):
    assert client.get(f"/api/projets/{poitiers.pk}").json()["territoire"] == [BUXEROLLES, POITIERS]


def test_a_project_from_a_demarches_simplifiees_dossier_is_its_commune(db, national):
    from oasis.projects.services import open_project

    chauvigny = Commune.objects.get(pk="86070")
    project = open_project(None, chauvigny, [chauvigny], "Dossier", "projet.depot", nom="MSP", kind="msp", carrier="sisa")
    assert list(project.communes_desservies.all()) == [] and project.territory_codes() == ["86070"]


def test_the_migration_leaves_the_main_commune_out_of_the_others_and_the_territory_unchanged(poitiers):
    poitiers.communes_desservies.add(POITIERS)  # as projects created before it stored the main commune
    migration = importlib.import_module("oasis.projects.migrations.0013_territory_is_main_commune_and_others")
    migration.drop_main_commune_from_others(apps, None)
    assert list(poitiers.communes_desservies.values_list("pk", flat=True)) == [BUXEROLLES]
    assert poitiers.territory_codes() == [BUXEROLLES, POITIERS]
