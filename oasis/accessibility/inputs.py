"""What the APL model takes in: supply per unit (BPE, Annuaire santé or imported activity) and demand per unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from oasis.accessibility.enums import ModePratique, Variante
from oasis.accessibility.models import Practitioner, PractitionerImport
from oasis.accessibility.params import ProfessionParameters
from oasis.accessibility.units import Units
from oasis.core.apl import counted_activity
from oasis.formatting import fr_number
from oasis.references.enums import ReferenceKind
from oasis.references.models import ReferenceImport, RppsCount
from oasis.supply.enums import CNAM_PROFESSIONS
from oasis.supply.models import CnamDemography, SupplyCount


def calage_text(rule: dict[str, Any]) -> str:
    """The published national mean the supply is calibrated on, in the words of the pages:
    « APL moyenne publiée : 3,29 (2023, praticiens de 65 ans et moins) »."""
    variante = Variante(rule["variante_publiee"]).label.lower()
    return f"APL moyenne publiée : {fr_number(rule['apl_moyen_publie'], 2)} ({rule['millesime_publie']}, {variante})"


@dataclass
class Supply:
    """Supply per unit (counted acts for GPs, ETP otherwise) and how it was obtained."""

    values: np.ndarray  # (n,)
    counts: np.ndarray  # (n,) practitioners counted in each unit (before any re-levelling)
    per_new_practitioner: float  # what one more practitioner adds
    description: dict[str, Any]


def _bpe_latest() -> int:
    latest = SupplyCount.objects.order_by("-millesime").values_list("millesime", flat=True).first()
    if latest is None:
        raise LookupError("Aucune donnée d'offre en base : l'administrateur d'OASIS doit charger les données nationales.")
    return int(latest)


RPPS_LIBERAL = "L"


"""The model counts liberal practitioners of the Annuaire santé, as the BPE does."""


def latest_rpps(profession: str) -> ReferenceImport | None:
    """The newest Annuaire santé import that counts this profession (the model's supply when there is one)."""
    reference = ReferenceImport.objects.latest_of(ReferenceKind.RPPS)
    if reference is None or not RppsCount.objects.filter(reference=reference, profession=profession).exists():
        return None
    return reference


def active_import(profession: str) -> PractitionerImport | None:
    return PractitionerImport.objects.filter(profession=profession, active=True).order_by("-imported_at").first()


def build_supply(parameters: ProfessionParameters, variante: str, units: Units) -> Supply:
    """Supply from imported per-practitioner activity when there is one, else imputed from the counts per commune:
    the liberal practitioners of the newest Annuaire santé (RPPS) import when there is one, else the BPE."""
    source = active_import(parameters.profession)
    if source is not None:
        return _supply_from_import(parameters, variante, units, source)
    counts = np.zeros(units.n)
    rpps = latest_rpps(parameters.profession)
    rule = parameters.imputation
    if rpps is not None:
        for code, nombre in RppsCount.objects.filter(
            reference=rpps, profession=parameters.profession, mode=RPPS_LIBERAL
        ).values_list("commune_id", "personnes"):
            counts[units.index[code]] += nombre
        origin: dict[str, Any] = {"source": "rpps", "millesime": rpps.millesime, "empreinte": rpps.sha256[:16]}
        relevel = None  # the Annuaire santé is current: no re-levelling on older control totals
    else:
        millesime = _bpe_latest()
        for code, nombre in SupplyCount.objects.filter(equipement=parameters.profession, millesime=millesime).values_list(
            "commune_id", "nombre"
        ):
            counts[units.index[code]] += nombre
        origin = {"source": "bpe", "millesime": millesime}
        relevel = _cnam_relevel(parameters, units, counts) if rule.get("recalage_departemental") else None
    valid = units.has_demand_data
    present = counts.copy()  # practitioners actually counted in each commune (what a departure can remove)
    if relevel is not None:
        counts = counts * relevel[0]
    description: dict[str, Any] = {
        **origin,
        "praticiens": int(counts.sum()),
        "praticiens_hors_champ": int(counts[~valid].sum()),
        "regle": rule["regle"],
        "variante_effective": (
            f"sans effet : âges inconnus ({origin['source'].upper()})" if variante == Variante.MOINS_65 else variante
        ),
    }
    if relevel is not None:
        description.update(recalage=relevel[1], praticiens_recales=round(float(counts.sum()), 1))
    if rule["regle"] == "calage_moyenne_nationale":
        demand = demand_per_unit(parameters, units)
        per_practitioner = float(rule["apl_moyen_publie"]) * float(demand[valid].sum()) / float(counts[valid].sum())
        description.update(
            activite_par_praticien=round(per_practitioner, 1),
            calage=calage_text(rule),
        )
        new = parameters.caps.newly_installed if parameters.caps else per_practitioner
    else:
        per_practitioner = float(rule["etp_par_praticien"])
        description.update(etp_par_praticien=per_practitioner)
        new = per_practitioner
    values = counts * per_practitioner
    values[~valid] = 0.0  # outside the DREES field (Mayotte): no demand data, no APL
    return Supply(values, present, new, description)


def _cnam_relevel(parameters: ProfessionParameters, units: Units, counts: np.ndarray) -> tuple[np.ndarray, str] | None:
    """Per-unit factor bringing each département's BPE count to its Cnam count (the BPE keeps the distribution)."""
    labels = [label for label, equipement in CNAM_PROFESSIONS.items() if equipement == parameters.profession]
    if not labels:
        return None
    rows = CnamDemography.objects.filter(profession=labels[0]).exclude(departement="999")
    cnam = dict(rows.values_list("departement", "effectif"))
    annee = rows.values_list("annee", flat=True).first()
    departements = np.array(units.departement)
    factor = np.ones(units.n)
    for departement in np.unique(departements):
        members = departements == departement
        bpe = counts[members].sum()
        if departement in cnam and bpe > 0:
            factor[members] = cnam[departement] / bpe
    return factor, f"effectifs BPE recalés par département sur la Cnam {annee} ({labels[0]})"


def _supply_from_import(parameters: ProfessionParameters, variante: str, units: Units, source: PractitionerImport) -> Supply:
    rows = Practitioner.objects.filter(source=source).values_list("commune_id", "actes", "etp", "age", "mode", "nouvel_installe")
    values = np.zeros(units.n)
    counts = np.zeros(units.n)
    excluded_age = 0
    is_gp = parameters.caps is not None
    codes, acts, etps, centres, newly = [], [], [], [], []
    for code, actes, etp, age, mode, nouvel in rows:
        if variante == Variante.MOINS_65 and age is not None and age > 65:
            excluded_age += 1
            continue
        codes.append(units.index[code])
        acts.append(actes or 0.0)
        etps.append(etp if etp is not None else 1.0)
        centres.append(mode == ModePratique.CENTRE_DE_SANTE)
        newly.append(nouvel)
    index = np.array(codes, dtype=np.int64)
    if is_gp and parameters.caps is not None:
        counted = counted_activity(acts, parameters.caps, centre_de_sante=centres, newly_installed=newly)
        per_new = parameters.caps.newly_installed
    else:
        counted = np.array(etps, dtype=np.float64)
        per_new = 1.0
    np.add.at(values, index, counted)
    np.add.at(counts, index, 1.0)
    values[~units.has_demand_data] = 0.0
    return Supply(
        values,
        counts,
        per_new,
        {
            "source": "import",
            "fichier": source.fichier,
            "sha256": source.sha256,
            "millesime": source.millesime,
            "praticiens": int(counts.sum()),
            "exclus_plus_de_65_ans": excluded_age,
            "regle": "activité réelle, bornes DREES" if is_gp else "ETP déclarés",
        },
    )


def demand_per_unit(parameters: ProfessionParameters, units: Units) -> np.ndarray:
    if parameters.demande == "pop_standardisee":
        values = units.pop_standardisee
    elif parameters.demande == "pop_totale":
        values = units.pop_totale
    else:
        values = units.pop_totale * float(parameters.part_femmes or 0.5)
    demand: np.ndarray = np.nan_to_num(values, nan=0.0)
    return demand
