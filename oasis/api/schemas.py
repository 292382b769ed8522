"""Response schemas of the JSON API (they define the OpenAPI document)."""

from __future__ import annotations

from ninja import Field, Schema


class Source(Schema):
    cle: str
    titre: str
    producteur: str
    millesime: str
    licence: str
    url: str


class TerritoireRef(Schema):
    niveau: str
    code: str
    nom: str


class Effectif(Schema):
    nombre: int
    millesime: int
    pour_10000_habitants: float | None
    nombre_precedent: int | None
    millesime_precedent: int | None


class Territoire(Schema):
    niveau: str
    code: str
    nom: str
    parents: list[TerritoireRef]
    population: int
    population_standardisee: float | None
    superficie_km2: float | None
    nombre_communes: int
    longitude: float | None = None
    latitude: float | None = None
    professionnels: dict[str, Effectif]
    structures: dict[str, Effectif]
    sources: list[Source]


class Resultat(Schema):
    niveau: str
    code: str
    nom: str
    contexte: str
    population: int
    url: str


class Erreur(Schema):
    detail: str


class CommuneApl(Schema):
    code_insee: str
    nom: str
    apl: float | None
    pop_totale: float | None = Field(description="population totale de la DREES (2021), donnée d'entrée de l'APL")
    pop_standardisee: float | None
    sous_dense_estimation: bool | None
    classe: int | None
    population: int = Field(
        description="population municipale 2022 de l'INSEE, en vigueur au 1er janvier 2025 : celle que comptent toutes les pages"
    )


class AplTerritoire(Schema):
    apl_moyen: float | None
    communes: int
    communes_sous_dotees: int
    population_sous_dotee: float
    population: float


class Apl(Schema):
    calcul: str
    profession: str
    variante: str
    unite: str
    territoire: TerritoireRef | None
    resume_territoire: AplTerritoire
    resume_national: dict[str, object]
    parametres: dict[str, object]
    entrees: dict[str, object]
    communes: list[CommuneApl]


class CommuneAplOfficielle(Schema):
    code_insee: str
    nom: str
    apl: float | None
    apl_moins_65: float | None
    pop_standardisee: float | None
    pop_totale: float | None


class AplOfficielle(Schema):
    source: str
    profession: str
    annee: int
    unite: str
    provenance: str
    territoire: TerritoireRef | None
    apl_moyen: float | None
    apl_moins_65_moyen: float | None
    part_offre_plus_de_65_ans: float | None
    population_sous_dense: float | None
    communes: list[CommuneAplOfficielle]


class Simulation(Schema):
    calcul: str
    profession: str
    variante: str
    changements: list[dict[str, object]]
    resume: dict[str, object]
    base_officielle: str | None
    communes: list[dict[str, object]]


class ScenarioOut(Schema):
    id: int
    nom: str
    calcul: str
    profession: str
    variante: str
    changements: list[dict[str, object]]
    resume: dict[str, object]
    cree_le: str
