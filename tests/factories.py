"""Factories for territories and supply, on codes no real territory uses (région 09, département 99), and for the data
of a new project (on the real communes of the national bundle)."""

from __future__ import annotations

import factory

from oasis.projects.services import NewProject
from oasis.supply.enums import Equipement
from oasis.supply.models import SupplyCount
from oasis.territories.models import Commune, CommuneType, Departement, Epci, Region
from oasis.territories.text import search_key


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "09"
    nom = "Région d'essai"
    search_key = factory.LazyAttribute(lambda o: search_key(o.nom))


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "99"
    nom = "Département d'essai"
    region = factory.SubFactory(RegionFactory)
    search_key = factory.LazyAttribute(lambda o: search_key(o.nom))


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci

    code = factory.Sequence(lambda n: f"99{n:07d}")
    nom = factory.Sequence(lambda n: f"CC d'essai {n}")
    nature = "CC"
    search_key = factory.LazyAttribute(lambda o: search_key(o.nom))


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    code_insee = factory.Sequence(lambda n: f"99{n:03d}")
    nom = factory.Sequence(lambda n: f"Commune d'essai {n}")
    type = CommuneType.COMMUNE
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")
    population = 1000
    pop_standardisee = 1000.0
    pop_totale_drees = 1000.0
    longitude = 0.5
    latitude = 46.5
    point_source = "mairie"
    area_km2 = 10.0
    search_key = factory.LazyAttribute(lambda o: search_key(o.nom))


class SupplyCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyCount

    commune = factory.SubFactory(CommuneFactory)
    equipement = Equipement.GENERALISTE
    millesime = 2019
    nombre = 1


class NewProjectFactory(factory.Factory):
    """What an officer types to create a project: an MSP at Lussac-les-Châteaux by default, carried by its commune,
    which also benefits from it and is the only commune served (no other commune listed)."""

    class Meta:
        model = NewProject

    nom = "Maison de santé"
    kind = "msp"
    carrier = "commune"
    carrier_name = "Commune"
    commune_principale = "86140"
    communes_desservies = factory.LazyFunction(list)
    collectivite_niveau = "commune"
    collectivite_code = factory.SelfAttribute("commune_principale")
