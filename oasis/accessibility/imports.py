"""Import of per-practitioner activity (a user's SNIIR-AM or ARS extract), replacing the BPE imputation.

Contract: CSV, UTF-8, columns ``code_insee`` and ``actes`` (médecins) or ``etp``
(other professions); optional ``age``, ``mode`` (liberal | centre-de-sante),
``nouvel_installe`` (0/1). No names and no RPPS numbers are read. Every line is
checked before anything is written; the import is one transaction; importing the
same file again for the same profession changes nothing; a new import becomes the
one used by the computations of its profession.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from oasis.accessibility.enums import ModePratique
from oasis.accessibility.models import Practitioner, PractitionerImport
from oasis.datasets.csvio import iter_csv, parse_code_insee, parse_float, parse_int, read_text
from oasis.datasets.errors import DataFileError
from oasis.supply.enums import PROFESSIONS, Equipement
from oasis.territories.models import Commune


@dataclass
class ImportReport:
    source: PractitionerImport
    created: bool


def import_practitioners(path: Path, profession: str, millesime: int) -> ImportReport:
    if profession not in [p.value for p in PROFESSIONS]:
        raise DataFileError(path, None, f"profession inconnue « {profession} »")
    content = read_text(path).encode("utf-8")
    sha256 = hashlib.sha256(content).hexdigest()
    existing = PractitionerImport.objects.filter(sha256=sha256, profession=profession).first()
    if existing is not None:
        return ImportReport(existing, created=False)
    measure = "actes" if profession == Equipement.GENERALISTE else "etp"
    units = set(Commune.objects.units().values_list("code_insee", flat=True))
    plm = set(Commune.objects.filter(arrondissements__isnull=False).values_list("code_insee", flat=True))
    practitioners: list[Practitioner] = []
    for line, row in iter_csv(path, ("code_insee", measure)):
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        if code not in units:
            hint = " : Paris, Lyon et Marseille se déclarent par arrondissement" if code in plm else " (COG 2025 attendu)"
            raise DataFileError(path, line, f"commune « {code} » inconnue{hint}")
        value = parse_float(path, line, measure, row[measure], minimum=0)
        age = parse_int(path, line, "age", row["age"], minimum=18) if row.get("age", "").strip() else None
        if age is not None and age > 100:
            raise DataFileError(path, line, f"colonne age : {age} n'est pas un âge plausible")
        mode = (row.get("mode") or ModePratique.LIBERAL).strip()
        if mode not in ModePratique.values:
            raise DataFileError(path, line, f"colonne mode : « {mode} » (attendu : {', '.join(ModePratique.values)})")
        newly = (row.get("nouvel_installe") or "0").strip()
        if newly not in ("0", "1"):
            raise DataFileError(path, line, f"colonne nouvel_installe : « {newly} » (attendu : 0 ou 1)")
        practitioners.append(
            Practitioner(
                commune_id=code,
                actes=value if measure == "actes" else None,
                etp=value if measure == "etp" else None,
                age=age,
                mode=mode,
                nouvel_installe=newly == "1",
            )
        )
    if not practitioners:
        raise DataFileError(path, None, "aucun praticien dans le fichier")
    with transaction.atomic():
        PractitionerImport.objects.filter(profession=profession, active=True).update(active=False)
        source = PractitionerImport.objects.create(
            fichier=path.name, sha256=sha256, profession=profession, millesime=millesime, lignes=len(practitioners)
        )
        for practitioner in practitioners:
            practitioner.source = source
        Practitioner.objects.bulk_create(practitioners, batch_size=2000)
    return ImportReport(source, created=True)
