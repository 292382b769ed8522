"""Import the Annuaire santé open extract ``PS_LibreAcces_Personne_activite`` (``.txt`` or the published ``.zip``).

UTF-8, ``|``-separated with a trailing ``|``, one row per activity. Columns are matched by name (52 in 2021, 56 now,
more may be appended). Each person is counted once per commune, profession and mode d'exercice; general practice is
profession 10 with savoir-faire SM53, SM54 or SM26. The place is the commune code of the structure, else its postal
code and town (``Bureau cedex``) through the COG. Rows that cannot be placed, and why, are counted in the import record.
For the professions OASIS works with, the activities of RPPS-identified professionals of the latest extract are also
kept (number, name, profession, specialty, mode, place: all public in the open extract), to check the RPPS number a
candidate or a team member gives; an import replaces those of the previous extract. See ``common`` for the contract.
"""

from __future__ import annotations

import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.db import transaction
from django.db.models import Sum

from oasis.datasets.errors import DataFileError
from oasis.references.enums import ReferenceKind
from oasis.references.importers.common import (
    CommuneResolver,
    ImportReport,
    Progress,
    extract_date,
    no_progress,
    previous_import,
)
from oasis.references.models import ReferenceImport, RppsActivite, RppsCount
from oasis.references.validators import well_formed_rpps
from oasis.supply.enums import Equipement

SOURCE = "Agence du numérique en santé, Annuaire santé (extraction en libre accès, RPPS/ADELI)"
STAGES = 2
PROGRESS_EVERY = 100_000

PERSON = "Identification nationale PP"
PROFESSION = "Code profession"
SAVOIR_FAIRE = "Code savoir-faire"
MODE = "Code mode exercice"
COMMUNE = "Code commune (coord. structure)"
POSTAL = "Code postal (coord. structure)"
TOWN = "Bureau cedex (coord. structure)"
TOWN_LABEL = "Libellé commune (coord. structure)"
REQUIRED = (PERSON, PROFESSION, SAVOIR_FAIRE, MODE, COMMUNE, POSTAL, TOWN)
IDENTITY = (
    "Type d'identifiant PP",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Libellé profession",
    "Libellé savoir-faire",
    "Libellé mode exercice",
    "Raison sociale site",
)
"""Kept for the RPPS check when present (the extract may drop or rename them: they are optional)."""
RPPS_TYPE = "8"
CHECKED_PROFESSIONS = frozenset({"10", "21", "40", "50", "60", "70", "91"})
"""Physicians, pharmacists, dentists, midwives, nurses, physiotherapists, speech therapists."""

GENERAL_PRACTICE = frozenset({"SM53", "SM54", "SM26"})
PROFESSIONS = {
    "40": Equipement.CHIRURGIEN_DENTISTE,
    "50": Equipement.SAGE_FEMME,
    "60": Equipement.INFIRMIER,
    "70": Equipement.MASSEUR_KINESITHERAPEUTE,
    "91": Equipement.ORTHOPHONISTE,
}
COUNTED = (Equipement.GENERALISTE, *PROFESSIONS.values())
MODES = frozenset({"L", "S", "B", ""})

NOT_AN_EXTRACT = "n'est pas une extraction Personne_activite de l'Annuaire santé"
MISSING_COLUMNS = "colonnes manquantes"
RAGGED = "nombre de champs différent de l'en-tête"
BAD_ENCODING = "encodage invalide (UTF-8 attendu)"
NO_ROWS = "aucune ligne d'activité"


def _open(path: Path) -> tuple[IO[bytes], str]:
    """The Personne_activite stream of a .txt or of the published .zip, and its name."""
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        members = [name for name in archive.namelist() if "personne_activite" in name.lower()]
        if not members:
            raise DataFileError(path, None, f"{NOT_AN_EXTRACT} (archive sans fichier « Personne_activite »)")
        return archive.open(members[0]), members[0]
    return path.open("rb"), path.name  # readable: its hash was just taken


def _decode(raw: bytes, path: Path, line: int) -> str:
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise DataFileError(path, line, BAD_ENCODING) from error


def _rows(stream: IO[bytes], path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    header = _decode(stream.readline(), path, 1).lstrip("\ufeff").split("|")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise DataFileError(path, 1, f"{NOT_AN_EXTRACT} : {MISSING_COLUMNS} {', '.join(missing)}")
    index = {name: header.index(name) for name in (*REQUIRED, TOWN_LABEL, *IDENTITY) if name in header}
    width = len(header)
    for line, raw in enumerate(stream, start=2):
        values = _decode(raw, path, line).split("|")
        if len(values) == 1 and not values[0]:
            continue
        if len(values) != width:
            raise DataFileError(path, line, f"{RAGGED} ({len(values)} champs au lieu de {width})")
        yield line, {name: values[position].strip() for name, position in index.items()}


def _profession(row: dict[str, str]) -> Equipement | None:
    if row[PROFESSION] == "10":
        return Equipement.GENERALISTE if row[SAVOIR_FAIRE] in GENERAL_PRACTICE else None
    return PROFESSIONS.get(row[PROFESSION])


def import_rpps(path: Path, *, dry_run: bool = False, progress: Progress = no_progress) -> ImportReport:
    """Import an Annuaire santé extract (see the module contract); ``progress`` advances ``STAGES`` times."""
    started = time.perf_counter()
    sha256, done = previous_import(ReferenceKind.RPPS, path)
    if done is not None:
        return done
    resolver = CommuneResolver()
    stream, name = _open(path)
    persons: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    activities: list[RppsActivite] = []
    outcome: Counter[str] = Counter()
    unplaced: Counter[str] = Counter()
    with stream:
        for line, row in _rows(stream, path):
            outcome["lignes"] += 1
            code = _place(resolver, row)
            if code is None:
                has_address = row[COMMUNE] or row[POSTAL]
                outcome["non_placees" if has_address else "sans_lieu_d_exercice"] += 1
                if has_address:
                    unplaced[f"{row[COMMUNE] or row[POSTAL]} {row.get(TOWN_LABEL) or row[TOWN]}".strip()] += 1
            else:
                outcome["placees"] += 1
            activity = _activity(row, code)
            if activity is not None:
                activities.append(activity)
            profession = _profession(row)
            if profession is None:
                outcome["hors_champ"] += 1
            elif code is not None:
                mode = row[MODE] if row[MODE] in MODES else ""
                persons[(code, profession.value, mode)].add(row[PERSON])
            if line % PROGRESS_EVERY == 0:
                progress(0)
    if not outcome["lignes"]:
        raise DataFileError(path, None, NO_ROWS)
    progress(1)
    counts = {key: len(ids) for key, ids in persons.items()}
    reference = ReferenceImport(
        kind=ReferenceKind.RPPS,
        fichier=path.name if name == path.name else f"{path.name} ({name})",
        sha256=sha256,
        source=SOURCE,
        millesime=f"extraction du {d:%d/%m/%Y}"
        if (d := extract_date(name) or extract_date(path.name))
        else "extraction non datée",
        date_reference=extract_date(name) or extract_date(path.name),
        lignes={
            **dict(outcome),
            "part_non_placees": round((outcome["non_placees"] + outcome["sans_lieu_d_exercice"]) / outcome["lignes"], 4),
            "exemples_non_placees": dict(unplaced.most_common(20)),
            "personnes": {p.value: sum(n for (_c, prof, _m), n in counts.items() if prof == p.value) for p in COUNTED},
        },
        parametres={"medecine_generale": sorted(GENERAL_PRACTICE), "professions": {k: v.value for k, v in PROFESSIONS.items()}},
    )
    report = ImportReport(reference, changes=_changes(counts))
    if dry_run:
        progress(1)
        return report
    with transaction.atomic():
        reference.save()
        RppsCount.objects.bulk_create(
            [
                RppsCount(reference=reference, commune_id=code, profession=profession, mode=mode, personnes=number)
                for (code, profession, mode), number in counts.items()
            ],
            batch_size=2000,
        )
        RppsActivite.objects.all().delete()
        for activity in activities:
            activity.reference = reference
        RppsActivite.objects.bulk_create(activities, batch_size=2000)
        reference.duration_seconds = time.perf_counter() - started
        reference.save(update_fields=["duration_seconds"])
    progress(1)
    return report


def _activity(row: dict[str, str], code: str | None) -> RppsActivite | None:
    """The activity of an RPPS-identified professional of a checked profession, else None.

    The identifier is the RPPS number prefixed by its type (``8``), or the number alone; anything that does not leave
    an RPPS number of 11 digits is not kept (a truncated number could name somebody else).
    """
    if row.get("Type d'identifiant PP", RPPS_TYPE) != RPPS_TYPE or row[PROFESSION] not in CHECKED_PROFESSIONS:
        return None
    rpps = row[PERSON][1:] if len(row[PERSON]) == 12 else row[PERSON]
    if not rpps or not well_formed_rpps(rpps):
        return None
    town = row.get(TOWN_LABEL) or row[TOWN]
    return RppsActivite(
        rpps=rpps,
        nom=row.get("Nom d'exercice", "")[:120],
        prenom=row.get("Prénom d'exercice", "")[:120],
        profession=row.get("Libellé profession", row[PROFESSION])[:120],
        savoir_faire=row.get("Libellé savoir-faire", "")[:200],
        mode=row.get("Libellé mode exercice", "")[:60],
        lieu=", ".join(part for part in (row.get("Raison sociale site", ""), town) if part)[:300],
        commune_id=code,
    )


def _place(resolver: CommuneResolver, row: dict[str, str]) -> str | None:
    """The current unit of an activity: its commune code (PLM through the postal code), else postal code and town."""
    code = row[COMMUNE]
    if code:
        links = resolver.resolve(code)
        if links:
            best = max(links, key=lambda link: link[1])[0]
            if best in resolver.units:
                return best
    if row[POSTAL]:
        return resolver.by_postal_code(row[POSTAL], row[TOWN] or row.get(TOWN_LABEL, ""))
    return None


def _changes(counts: dict[tuple[str, str, str], int]) -> dict[str, list[str]]:
    """Practitioners +/- per département and profession against the previous extract (liberal and salaried together)."""
    from oasis.territories.models import Commune

    departement = dict(Commune.objects.values_list("code_insee", "departement_id"))
    after: Counter[tuple[str, str]] = Counter()
    for (code, profession, _mode), number in counts.items():
        after[(departement[code], profession)] += number
    previous = ReferenceImport.objects.latest_of(ReferenceKind.RPPS)
    before: Counter[tuple[str, str]] = Counter()
    if previous is not None:
        for dep, profession, number in (
            RppsCount.objects.filter(reference=previous)
            .values_list("commune__departement_id", "profession")
            .annotate(total=Sum("personnes"))
            .values_list("commune__departement_id", "profession", "total")
        ):
            before[(dep, profession)] = number
    labels = {p.value: str(p.label).lower() for p in COUNTED}
    return {
        "praticiens_par_departement": [
            f"{dep} {labels[profession]} {after[(dep, profession)] - before[(dep, profession)]:+d}"
            for dep, profession in sorted(set(after) | set(before))
            if after[(dep, profession)] != before[(dep, profession)]
        ]
    }
