"""The health figures read for the bundle: standardised populations (demand), BPE equipment counts (supply), both
mapped to the COG 2025; the structures' series (baromètre) and the Cnam's demography (control totals).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from oasis.core.crosswalk import apportion_counts, apportion_quantities
from oasis.datasets import sources as src
from oasis.datasets.cog import Cog2025
from oasis.datasets.crosswalk import CodeSpace, resolve
from oasis.datasets.csvio import iter_csv, parse_code_insee, parse_float, parse_int
from oasis.datasets.errors import DataFileError
from oasis.supply.enums import BPE_TYPEQU, IndicateurStructures, NiveauSerie


def read_pop_standardisee(path: Path, cog: Cog2025, space: CodeSpace, composite: dict[int, sp.csr_matrix]) -> None:
    columns = ("annee_population", "code_insee", "pop_totale", "pop_standardisee")
    year = src.POP_STANDARDISEE_MILLESIME
    totale = np.zeros(len(space))
    standardisee = np.zeros(len(space))
    years_seen: set[int] = set()
    for line, row in iter_csv(path, columns):
        # Every row is checked, the vintages not kept included: a damaged file is refused whole.
        annee = parse_int(path, line, "annee_population", row["annee_population"])
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        pop_totale = parse_float(path, line, "pop_totale", row["pop_totale"], minimum=0)
        pop_standardisee = parse_float(path, line, "pop_standardisee", row["pop_standardisee"], minimum=0)
        years_seen.add(annee)
        if annee != year:
            continue
        index, _ = resolve(path, line, code, src.POP_STANDARDISEE_COG, space, composite)
        totale[index] += pop_totale
        standardisee[index] += pop_standardisee
    if year not in years_seen:
        raise DataFileError(path, None, f"aucune population de l'année {year} (années lues : {sorted(years_seen)})")
    matrix = composite[src.POP_STANDARDISEE_COG]
    plm = {commune.parent for commune in cog.communes.values() if commune.type == "ARM"}
    totale_2025 = apportion_quantities(totale, matrix)
    standardisee_2025 = apportion_quantities(standardisee, matrix)
    for code, commune in cog.communes.items():
        index = space.position[code]
        if commune.departement == "976":
            continue  # Mayotte is absent from the DREES data: left unknown, never zero.
        if code in plm:
            continue  # Paris, Lyon, Marseille: carried by their arrondissements.
        commune.pop_totale_drees = round(float(totale_2025[index]), 3)
        commune.pop_standardisee = round(float(standardisee_2025[index]), 3)
    for parent in sorted(plm):
        children = [c for c in cog.communes.values() if c.parent == parent]
        cog.communes[parent].pop_totale_drees = round(sum(c.pop_totale_drees or 0.0 for c in children), 3)
        cog.communes[parent].pop_standardisee = round(sum(c.pop_standardisee or 0.0 for c in children), 3)


def read_bpe(path: Path, cog: Cog2025, space: CodeSpace, composite: dict[int, sp.csr_matrix]) -> list[tuple[object, ...]]:
    counts: dict[tuple[int, str], np.ndarray] = {}
    for line, row in iter_csv(path, ("annee", "code_insee", "typequ", "nb")):
        year = parse_int(path, line, "annee", row["annee"])
        if year not in src.BPE_MILLESIMES:
            raise DataFileError(path, line, f"millésime BPE {year} non pris en charge (attendus : {src.BPE_MILLESIMES})")
        typequ = row["typequ"].strip()
        if typequ not in BPE_TYPEQU:
            if not (len(typequ) == 4 and typequ[0] == "D" and typequ[1:].isdigit()):
                raise DataFileError(path, line, f"colonne typequ : « {typequ} » n'est pas un type d'équipement de santé")
            continue
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        index, _ = resolve(path, line, code, year, space, composite)
        number = parse_int(path, line, "nb", row["nb"])
        vector = counts.setdefault((year, typequ), np.zeros(len(space), dtype=np.int64))
        vector[index] += number
    for year in src.BPE_MILLESIMES:
        if not any(key[0] == year for key in counts):
            raise DataFileError(path, None, f"aucune ligne pour le millésime BPE {year}")
    rows: list[tuple[object, ...]] = []
    for (year, typequ), vector in sorted(counts.items()):
        mapped = apportion_counts(vector, composite[year])
        for position in np.flatnonzero(mapped):
            rows.append((year, space.codes[position], BPE_TYPEQU[typequ].value, int(mapped[position])))
    return sorted(rows, key=lambda row: (row[0], row[1], row[2]))


def read_barometre(path: Path, cog: Cog2025) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    seen: set[tuple[str, str, str, str]] = set()
    niveaux = {choice.value for choice in NiveauSerie}
    indicateurs = {choice.value for choice in IndicateurStructures}
    for line, row in iter_csv(path, ("niveau", "code", "libelle", "indicateur", "date", "valeur")):
        niveau, code, indicateur, date = row["niveau"], row["code"].strip(), row["indicateur"], row["date"]
        if niveau not in niveaux:
            raise DataFileError(path, line, f"colonne niveau : « {niveau} » inconnu")
        if indicateur not in indicateurs:
            raise DataFileError(path, line, f"colonne indicateur : « {indicateur} » inconnu")
        if not (len(date) == 10 and date[4] == "-" and date[7] == "-" and 2017 <= int(date[:4] or 0) <= 2030):
            raise DataFileError(path, line, f"colonne date : « {date} » n'est pas une date AAAA-MM-JJ de 2017 à 2030")
        if niveau == NiveauSerie.REGION and code not in cog.regions:
            raise DataFileError(path, line, f"région inconnue « {code} »")
        if niveau == NiveauSerie.DEPARTEMENT and code not in cog.departements:
            raise DataFileError(path, line, f"département inconnu « {code} »")
        key = (niveau, code, indicateur, date)
        if key in seen:
            raise DataFileError(path, line, "ligne en double (même niveau, code, indicateur et date)")
        seen.add(key)
        value = parse_int(path, line, "valeur", row["valeur"])
        rows.append((niveau, code, row["libelle"].strip(), indicateur, date, value))
    return sorted(rows, key=lambda row: (row[0], row[1], row[3], row[4]))


def read_cnam(path: Path, cog: Cog2025) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    columns = (
        "annee",
        "profession_sante",
        "region",
        "departement",
        "classe_age",
        "libelle_sexe",
        "effectif",
        "densite",
    )
    for line, row in iter_csv(path, columns):
        annee = parse_int(path, line, "annee", row["annee"])
        if annee != 2024:
            raise DataFileError(path, line, f"millésime {annee} : le fichier attendu est celui de 2024")
        if row["classe_age"] != "tout_age" or row["libelle_sexe"] != "tout sexe":
            continue
        region, departement = row["region"].strip(), row["departement"].strip()
        if region != "99" and region not in cog.regions:
            raise DataFileError(path, line, f"région inconnue « {region} »")
        if departement != "999" and departement not in cog.departements:
            raise DataFileError(path, line, f"département inconnu « {departement} »")
        effectif = parse_int(path, line, "effectif", row["effectif"])
        densite = parse_float(path, line, "densite", row["densite"], minimum=0) if row["densite"].strip() else None
        rows.append(
            (
                annee,
                row["profession_sante"].strip(),
                region,
                departement,
                effectif,
                "" if densite is None else f"{densite:g}",
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[1], row[2], row[3]))
