"""Time the import of each official reference at national size, and say what each changes on the Vienne's état des lieux.

    .venv/bin/python bench/import_references.py

- DREES APL: the real national GP workbook shipped with OASIS (34,964 communes).
- Annuaire santé: a national-size extract in the real 52-column layout, written from the BPE 2019 counts (one person
  per professional; half the rows placed by commune code, half by postal code and town; each GP with a second activity
  row; out-of-scope professions in between), since the real file cannot be fetched here.
- FINESS: the real sample's layout, one maison or centre de santé per BPE structure (with Lambert-93 points), plus
  other établissements.
- ARS zoning: a per-commune order for Nouvelle-Aquitaine (4,300 communes), zones from the official APL.
Each import runs once into the same database (an import is idempotent: a second run would do nothing).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import setup_django

ROOT = Path(__file__).resolve().parent.parent
LAMBERT = "1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)"
SAMPLE_RPPS = ROOT / "tests" / "data" / "formats" / "rpps" / "PS_LibreAcces_Personne_activite_extrait_2021.txt"


def write_rpps(folder: Path) -> tuple[Path, int]:
    from oasis.supply.models import SupplyCount
    from oasis.territories.models import Commune

    header = SAMPLE_RPPS.read_text(encoding="utf-8").split("\n", 1)[0].split("|")
    position = {name: i for i, name in enumerate(header)}
    codes = {"generaliste": ("10", "SM53"), "infirmier": ("60", ""), "masseur-kinesitherapeute": ("70", "")}
    codes |= {"chirurgien-dentiste": ("40", ""), "sage-femme": ("50", ""), "orthophoniste": ("91", "")}
    postal = {c: (p.split()[0] if p else "", n) for c, p, n in Commune.objects.values_list("code_insee", "codes_postaux", "nom")}
    path = folder / "PS_LibreAcces_Personne_activite_202611020830.txt"
    lines = 0
    person = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("|".join(header) + "\n")
        for commune, profession, number in SupplyCount.objects.filter(millesime=2019, equipement__in=codes).values_list(
            "commune_id", "equipement", "nombre"
        ):
            for _ in range(number):
                person += 1
                fields = [""] * len(header)
                fields[position["Identification nationale PP"]] = f"8{person:010d}"
                fields[position["Code profession"]], fields[position["Code savoir-faire"]] = codes[profession]
                fields[position["Code mode exercice"]] = "L"
                if person % 2:
                    fields[position["Code commune (coord. structure)"]] = commune
                else:
                    code, name = postal[commune]
                    fields[position["Code postal (coord. structure)"]] = code
                    fields[position["Bureau cedex (coord. structure)"]] = f"{code} {name.upper()}"
                row = "|".join(fields) + "\n"
                out.write(row * (2 if profession == "generaliste" else 1))
                other = fields.copy()
                other[position["Code profession"]], other[position["Code savoir-faire"]] = "93", ""  # a psychologue
                out.write("|".join(other) + "\n")
                lines += 3 if profession == "generaliste" else 2
    return path, lines


def write_finess(folder: Path) -> tuple[Path, int]:
    from oasis.supply.models import SupplyCount
    from oasis.territories.models import Commune

    points = dict((c, (x, y)) for c, x, y in Commune.objects.values_list("code_insee", "longitude", "latitude"))
    from pyproj import Transformer

    to_lambert = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    path = folder / "etalab_cs1100507_stock_20261102.csv"
    lines = 1
    with path.open("w", encoding="utf-8") as out:
        out.write("finess;etalab;1;2026-11-02\n")
        number = 0
        for commune, equipement, count in SupplyCount.objects.filter(
            millesime=2019, equipement__in=["maison-de-sante", "centre-de-sante", "pharmacie"]
        ).values_list("commune_id", "equipement", "nombre"):
            if commune[:2] in ("97",):
                continue
            category = {"maison-de-sante": "603", "centre-de-sante": "124", "pharmacie": "620"}[equipement]
            for _ in range(count):
                number += 1
                numero = f"{commune[:2]}{number:07d}"
                fields = ["structureet", numero, "000000000", f"STRUCTURE {number}", f"STRUCTURE {number}", "", "", "1", "RUE"]
                fields += ["DE LA GARE", "", "", commune[2:], commune[:2], "", f"{commune} X", "", "", category, "", "", "", ""]
                fields += ["", "", "", "", "", "2015-01-01", "2015-01-01", "2026-01-01", ""]
                out.write(";".join(fields) + "\n")
                x, y = to_lambert.transform(*points[commune])
                out.write(f"geolocalisation;{numero};{x:.1f};{y:.1f};{LAMBERT};2026-05-04\n")
                lines += 2
    return path, lines


def write_zonage(folder: Path) -> tuple[Path, int]:
    from oasis.references.models import OfficialAplUnit

    path = folder / "zonage_nouvelle_aquitaine.csv"
    rows = OfficialAplUnit.objects.filter(profession="generaliste", commune__region_id="75").values_list("commune_id", "apl")
    with path.open("w", encoding="utf-8") as out:
        out.write("region;date_arrete;code_insee;profession;zone\n")
        for code, apl in rows:
            zone = "ZIP" if apl < 2.5 else "ZAC" if apl < 3.0 else "HV"
            out.write(f"75;2024-03-01;{code};generaliste;{zone}\n")
    return path, len(rows) + 1


def vienne() -> str:
    """The Vienne's état des lieux figures that the official references change."""
    from oasis.diagnostics.services import build_diagnosis
    from oasis.territories.services import get_territory

    diagnosis = build_diagnosis(get_territory("departement", "86"))
    gp = diagnosis.professions[0]
    official = f"{gp.officiel.apl:.3f} (plus de 65 ans : {gp.officiel.part_offre_plus_de_65_ans:.1%})" if gp.officiel else "—"
    zones = ", ".join(f"{z.zone} {z.communes}" for z in diagnosis.zonage) or "—"
    return (
        f"APL officielle {official} ; APL estimée {gp.apl:.3f} (offre {gp.run.entrees['offre']['source']}) ; "
        f"population sous-dense estimée {gp.population_sous_dotee:,.0f} ; zonage : {zones} ; "
        f"structures FINESS : {len(diagnosis.finess)}"
    ).replace(",", " ")


def main() -> None:
    setup_django()
    from oasis.references.importers import run_import
    from oasis.references.models import ReferenceImport
    from oasis.references.shipped import shipped_dir

    print(f"Vienne, paquet seul : {vienne()}")
    ReferenceImport.objects.filter(kind="drees-apl").delete()
    print(f"Vienne, sans APL officielle : {vienne()}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        writers = [
            ("drees-apl", lambda: (shipped_dir() / "apl_medecins_generalistes_2022.xlsx", 34975)),
            ("rpps", lambda: write_rpps(work)),
            ("finess", lambda: write_finess(work)),
            ("zonage", lambda: write_zonage(work)),  # written from the official APL imported first
        ]
        for kind, write in writers:
            path, lines = write()
            size = path.stat().st_size / 1e6
            started = time.perf_counter()
            report = run_import(kind, path)
            seconds = time.perf_counter() - started
            rate = f"{lines / seconds:,.0f}".replace(",", " ")
            print(f"{kind} : {path.name}, {lines} lignes, {size:.1f} Mo — import {seconds:.1f} s ({rate} lignes/s)")
            counts = {k: v for k, v in report.reference.lignes.items() if not isinstance(v, dict | list)}
            print(f"  enregistré : {report.reference.millesime} ; lignes : {counts}")
            print(f"  Vienne après : {vienne()}")


if __name__ == "__main__":
    main()
