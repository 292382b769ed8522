"""Import an ARS zoning order as a CSV (layout in ``docs/zonage.md``, template ``zonage_modele.csv``).

One row per commune and profession: ``region;date_arrete;code_insee;profession;zone`` — or, in the per-TVS form,
``region;date_arrete;code_tvs;profession;zone`` with a second file ``code_tvs;code_insee``. ``;`` or ``,`` separated,
UTF-8 with or without BOM. The newest order of a région and profession replaces the previous one (kept as history).
See ``common`` for the contract.
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from oasis.datasets.csvio import iter_csv, parse_code_insee, read_text
from oasis.datasets.errors import DataFileError
from oasis.references.enums import GP_ZONES, ReferenceKind, Zone
from oasis.references.importers.common import (
    REPEATED_HEADER,
    CommuneResolver,
    ImportReport,
    Progress,
    check_unique_columns,
    no_progress,
    previous_import,
)
from oasis.references.models import ReferenceImport, ZonageCommune
from oasis.supply.enums import PROFESSIONS, Equipement
from oasis.territories.models import Commune, Region
from oasis.territories.text import search_key

SOURCE = "Arrêté du directeur général de l'ARS relatif au zonage (art. L.1434-4 du code de la santé publique)"
STAGES = 2
COLUMNS_COMMUNE = ("region", "date_arrete", "code_insee", "profession", "zone")
COLUMNS_TVS = ("region", "date_arrete", "code_tvs", "profession", "zone")

UNKNOWN_ZONE = "zone inconnue"
GP_ZONE_EXPECTED = "zone des médecins généralistes attendue (ZIP, ZAC, ZV, HV ou HZ)"
CLASS_EXPECTED = "classe attendue (très sous-doté, sous-doté, intermédiaire, très doté, sur-doté)"
UNKNOWN_PROFESSION = "profession inconnue"
UNKNOWN_REGION = "région inconnue"
UNKNOWN_COMMUNE = "commune inconnue"
OUTSIDE_REGION = "commune hors de la région de l'arrêté"
BAD_DATE = "date d'arrêté invalide (AAAA-MM-JJ ou JJ/MM/AAAA attendu)"
TWO_DATES = "deux dates d'arrêté pour la même région"
DUPLICATE = "commune et profession en double"
TVS_UNKNOWN = "territoire de vie-santé absent de la table TVS → communes"
TVS_TABLE_NEEDED = "forme par TVS : donnez la table TVS → communes (--tvs FICHIER)"
NO_ROWS = "aucune ligne de zonage"

_ZONES = {search_key(zone.label): zone for zone in Zone} | {search_key(zone.value): zone for zone in Zone}
_PROFESSIONS = {search_key(p.value): p for p in PROFESSIONS} | {search_key(p.label): p for p in PROFESSIONS}
_PROFESSIONS |= {"medecin generaliste": Equipement.GENERALISTE, "medecins": Equipement.GENERALISTE, "mg": Equipement.GENERALISTE}


def _delimiter(path: Path) -> str:
    first = read_text(path).lstrip("\ufeff").split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") else ","


def _date(path: Path, line: int, value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise DataFileError(path, line, f"{BAD_DATE} : « {value} »")


def _zone(path: Path, line: int, profession: Equipement, value: str) -> Zone:
    zone = _ZONES.get(search_key(value))
    if zone is None:
        raise DataFileError(path, line, f"{UNKNOWN_ZONE} : « {value} »")
    if (profession == Equipement.GENERALISTE) != (zone in GP_ZONES):
        expected = GP_ZONE_EXPECTED if profession == Equipement.GENERALISTE else CLASS_EXPECTED
        raise DataFileError(path, line, f"{expected} : « {value} » pour {profession.label.lower()}")
    return zone


def _header(path: Path, delimiter: str) -> list[str]:
    """The first line's column names; a name given twice is refused (``iter_csv`` would keep the last silently)."""
    header = next(csv.reader([read_text(path).lstrip("\ufeff").split("\n", 1)[0]], delimiter=delimiter), [])
    names = [name.strip() for name in header]
    check_unique_columns(path, 1, names, lambda name: name.strip().lower())
    return names


def _rows(path: Path, columns: tuple[str, ...], delimiter: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``iter_csv``'s rows, refusing a header repeated further down (files pasted one after the other)."""
    for line, row in iter_csv(path, columns, delimiter=delimiter):
        if all(row[name].strip().lower() == name for name in columns):
            raise DataFileError(path, line, f"{REPEATED_HEADER} (déjà ligne 1)")
        yield line, row


def _tvs_table(path: Path) -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    delimiter = _delimiter(path)
    _header(path, delimiter)
    for line, row in _rows(path, ("code_tvs", "code_insee"), delimiter):
        table[row["code_tvs"].strip()].append(parse_code_insee(path, line, "code_insee", row["code_insee"]))
    return table


def import_zonage(
    path: Path, *, tvs: Path | None = None, dry_run: bool = False, progress: Progress = no_progress
) -> ImportReport:
    """Import a zoning CSV (see the module contract); ``progress`` advances ``STAGES`` times."""
    started = time.perf_counter()
    sha256, done = previous_import(ReferenceKind.ZONAGE, path, tvs)
    if done is not None:
        return done
    delimiter = _delimiter(path)
    per_tvs = "code_tvs" in _header(path, delimiter)
    if per_tvs and tvs is None:
        raise DataFileError(path, 1, TVS_TABLE_NEEDED)
    table = _tvs_table(tvs) if per_tvs and tvs is not None else {}
    resolver = CommuneResolver()
    regions = set(Region.objects.values_list("code", flat=True))
    commune_region = dict(Commune.objects.values_list("code_insee", "region_id"))
    dates: dict[str, date] = {}
    zones: dict[tuple[str, str], tuple[str, Zone]] = {}
    for line, row in _rows(path, COLUMNS_TVS if per_tvs else COLUMNS_COMMUNE, delimiter):
        region = row["region"].strip().zfill(2)
        if region not in regions:
            raise DataFileError(path, line, f"{UNKNOWN_REGION} : « {row['region']} »")
        when = _date(path, line, row["date_arrete"])
        if dates.setdefault(region, when) != when:
            raise DataFileError(path, line, f"{TWO_DATES} {region} : {dates[region]:%d/%m/%Y} et {when:%d/%m/%Y}")
        profession = _PROFESSIONS.get(search_key(row["profession"]))
        if profession is None:
            raise DataFileError(path, line, f"{UNKNOWN_PROFESSION} : « {row['profession']} »")
        zone = _zone(path, line, profession, row["zone"])
        if per_tvs:
            if row["code_tvs"].strip() not in table:
                raise DataFileError(path, line, f"{TVS_UNKNOWN} : « {row['code_tvs']} »")
            published = table[row["code_tvs"].strip()]
        else:
            published = [parse_code_insee(path, line, "code_insee", row["code_insee"])]
        for code in published:
            links = resolver.resolve(code)
            if not links:
                raise DataFileError(path, line, f"{UNKNOWN_COMMUNE} : {code}")
            for current, _share in links:
                if commune_region[current] != region:
                    raise DataFileError(path, line, f"{OUTSIDE_REGION} {region} : {code}")
                key = (current, profession.value)
                if key in zones and not per_tvs and current == code:
                    raise DataFileError(path, line, f"{DUPLICATE} : {code}, {profession.label.lower()}")
                zones[key] = (region, zone)
    if not zones:
        raise DataFileError(path, None, NO_ROWS)
    progress(1)
    pairs = {(region, profession) for (_code, profession), (region, _zone_) in zones.items()}
    before = dict(
        ((code, profession), zone)
        for code, profession, zone in ZonageCommune.objects.filter(actif=True).values_list("commune_id", "profession", "zone")
    )
    changed = sorted(
        f"{code} {profession} : {before.get((code, profession), '—')} → {zone.value}"
        for (code, profession), (_region, zone) in zones.items()
        if before.get((code, profession)) != zone.value
    )
    reference = ReferenceImport(
        kind=ReferenceKind.ZONAGE,
        fichier=path.name,
        sha256=sha256,
        source=SOURCE,
        millesime=", ".join(f"arrêté du {when:%d/%m/%Y} (région {region})" for region, when in sorted(dates.items())),
        date_reference=max(dates.values()),
        region_id=next(iter(dates)) if len(dates) == 1 else None,
        lignes={
            "communes": len({code for code, _ in zones}),
            "lignes": len(zones),
            "forme": "par TVS" if per_tvs else "par commune",
            "par_zone": {
                zone.value: sum(1 for _r, z in zones.values() if z == zone)
                for zone in Zone
                if zone in {z for _r, z in zones.values()}
            },
        },
        parametres={"regions": {region: when.isoformat() for region, when in dates.items()}},
    )
    report = ImportReport(reference, changes={"communes_dont_le_zonage_change": changed})
    if dry_run:
        progress(1)
        return report
    with transaction.atomic():
        reference.save()
        ZonageCommune.objects.bulk_create(
            [
                ZonageCommune(reference=reference, commune_id=code, profession=slug, zone=zone, actif=False)
                for (code, slug), (_region, zone) in zones.items()
            ],
            batch_size=2000,
        )
        put_newest_orders_in_force(pairs)
        reference.duration_seconds = time.perf_counter() - started
        reference.save(update_fields=["duration_seconds"])
    progress(1)
    return report


def order_date(reference: ReferenceImport, region: str) -> date:
    """The date of ``reference``'s order for ``region`` (a file may hold several régions, each with its own date)."""
    return date.fromisoformat(reference.parametres["regions"][region])


def put_newest_orders_in_force(pairs: Iterable[tuple[str, str]]) -> None:
    """For each (région, profession), the rows of the newest order left are in force (``actif``), the others history.

    The newest is the latest order's date for that région; of two orders of the same date, the one imported last (a
    corrected order). So an order imported late, older than the one in force, stays history; and when the import of
    the order in force is deleted, the order it had replaced acts again, as the DREES vintages do.
    """
    for region, profession in sorted(set(pairs)):
        rows = ZonageCommune.objects.filter(profession=profession, commune__region_id=region)
        references = ReferenceImport.objects.filter(pk__in=rows.values("reference_id"))
        newest = max(references, key=lambda reference: (order_date(reference, region), reference.pk), default=None)
        if newest is None:
            continue
        rows.filter(actif=True).exclude(reference=newest).update(actif=False)
        rows.filter(reference=newest, actif=False).update(actif=True)


def order_withdrawn(sender: type[ReferenceImport], instance: ReferenceImport, **_kwargs: object) -> None:
    """A zoning order's import deleted (its rows with it): in its régions, the newest order left acts again."""
    if instance.kind != ReferenceKind.ZONAGE:
        return
    regions = set(instance.parametres.get("regions", {}))
    professions = set(ZonageCommune.objects.filter(commune__region_id__in=regions).values_list("profession", flat=True))
    put_newest_orders_in_force((region, profession) for region in sorted(regions) for profession in sorted(professions))
