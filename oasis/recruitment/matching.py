"""Explained matching of candidates and vacancies: facts from the database, points from oasis.core.matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oasis.core.matching import COMPONENTS, MatchWeights, score
from oasis.recruitment import perms
from oasis.recruitment.candidates import record_views
from oasis.recruitment.enums import APL_PROFESSION, Mode, VacancyStatus
from oasis.recruitment.models import AidScheme, Candidate, Vacancy
from oasis.recruitment.schemes import AID_TERRITORY_REQUIRED, open_schemes
from oasis.territories.models import Commune
from oasis.territories.services import commune_in, commune_in_any, territory_names
from oasis.verdicts.services import Verdict, verdicts

WEIGHTS = MatchWeights()
LABELS = {
    "territoire": "Territoire souhaité",
    "distance": "Temps de trajet",
    "date": "Date de prise de poste",
    "mode": "Mode d'exercice",
    "aide": "Aide mobilisable",
    "attractivite": "Attractivité du lieu",
}


@dataclass
class Component:
    name: str
    label: str
    points: float
    maximum: float
    why: str


@dataclass
class Match:
    candidate: Candidate
    vacancy: Vacancy
    total: float
    components: list[Component]


def _place_facts(communes: list[Commune], zoning: dict[str, Verdict]) -> tuple[dict[str, str], dict[str, tuple[bool, str]]]:
    """Per commune: an existing or planned structure (and which), and whether it is under-served (and on what basis)."""
    from oasis.projects.enums import PAUSED, Stage
    from oasis.projects.models import Project
    from oasis.supply.enums import STRUCTURES
    from oasis.supply.models import SupplyCount
    from oasis.supply.services import bpe_millesimes

    codes = {c.pk for c in communes}
    found: dict[str, list[str]] = {}
    latest = max(bpe_millesimes(), default=0)
    singular = {"maison-de-sante": "maison de santé", "centre-de-sante": "centre de santé"}
    for count in SupplyCount.objects.filter(commune_id__in=codes, equipement__in=STRUCTURES, millesime=latest, nombre__gt=0):
        found.setdefault(count.commune_id, []).append(f"{singular[count.equipement]} existante (BPE {latest})")
    active = Project.objects.exclude(stage__in=[*PAUSED, Stage.REFUSE])
    for project in active.filter(commune_principale_id__in=codes):
        found.setdefault(project.commune_principale_id, []).append(
            f"projet « {project.nom} » ({project.get_stage_display().lower()})"
        )
    structures = {code: " ; ".join(facts) for code, facts in found.items()}
    need = {code: (bool(status.sous_dense), status.resume) for code, status in zoning.items()}
    return structures, need


def _minutes(pairs: list[tuple[Candidate, Vacancy]]) -> NDArray[np.float64]:
    """Road minutes from each candidate's reference commune to the post, by OASIS's one road-time model (the APL's),
    NaN when the candidate gave no commune."""
    from oasis.accessibility.params import load_parameters
    from oasis.accessibility.traveltime import EstimateProvider

    minutes = np.full(len(pairs), np.nan)
    known = [i for i, (candidate, _) in enumerate(pairs) if candidate.commune_reference is not None]
    if known:
        estimate = EstimateProvider(load_parameters().travel)
        origins = [pairs[i][0].commune_reference for i in known]
        minutes[known] = estimate.minutes_between(origins, [pairs[i][1].commune for i in known])  # type: ignore[arg-type]
    return minutes


def sources(profession: str) -> str:
    """Which inputs and vintages the scores rest on, for the pages that show them."""
    from oasis.accessibility.runs import current_run
    from oasis.supply.services import bpe_millesimes

    parts = [f"structures : BPE {max(bpe_millesimes(), default='—')} et projets suivis dans OASIS"]
    apl_profession = APL_PROFESSION.get(profession)
    if apl_profession:
        run = current_run(apl_profession)
        offre = run.entrees["offre"]
        parts.append(
            "sous-dotation : zonage de l'ARS quand il est importé, sinon APL officielle de la DREES (règle nationale), "
            f"sinon APL estimée {run.get_profession_display().lower()} "
            f"(calculée le {run.created_at:%d/%m/%Y}, offre {offre['source'].upper()} {offre['millesime']}, "
            f"{run.entrees['demande']})"
        )
    parts.append("temps de trajet : estimation à vol d'oiseau × coefficient de détour (paramètres APL)")
    return " ; ".join(parts)


def _aid(candidate: Candidate, schemes: list[AidScheme], commune: Commune, zoning: Verdict | None) -> tuple[bool, str]:
    """Whether an aid applies to the candidate at this place (agreement, or scheme of the place's département and zone)."""
    for agreement in candidate.agreements.all():
        if agreement.scheme.departement_id == commune.departement_id:
            return True, f"convention en cours ({agreement.scheme.nom})"
    refused = []
    for scheme in schemes:
        if candidate.profession not in scheme.professions or scheme.departement_id != commune.departement_id:
            continue
        if scheme.territoires and not commune_in_any(commune, scheme.territoires):
            refused.append(f"« {scheme.nom} » {AID_TERRITORY_REQUIRED.format(territoires=territory_names(scheme.territoires))}")
            continue
        if scheme.zone_sous_dense and not (zoning and zoning.sous_dense):
            refused.append(
                f"« {scheme.nom} » réservé aux zones sous-denses ({zoning.zone_libelle if zoning else 'zonage inconnu'})"
            )
            continue
        return True, f"éligible à « {scheme.nom} »" + (f" ({zoning.zone_libelle})" if scheme.zone_sous_dense and zoning else "")
    return False, " ; ".join(refused) or "aucune aide du Département du poste"


def _pairs(pairs: list[tuple[Candidate, Vacancy]]) -> list[Match]:
    if not pairs:
        return []
    profession = pairs[0][1].profession
    apl_profession = APL_PROFESSION.get(profession)
    zoning = verdicts(sorted({v.commune_id for _, v in pairs}), apl_profession) if apl_profession else {}
    structures, need = _place_facts(list({v.commune for _, v in pairs}), zoning)
    schemes = list(open_schemes().filter(departement__isnull=False))
    aids = [_aid(c, schemes, v.commune, zoning.get(v.commune_id)) for c, v in pairs]

    minutes = _minutes(pairs)
    territory = np.array([any(commune_in(v.commune, ref) for ref in c.territoires_preferes) for c, v in pairs])
    gaps = np.array(
        [abs((v.debut - c.disponible_le).days) if v.debut and c.disponible_le else np.nan for c, v in pairs], dtype=float
    )
    modes = np.array([(1 if v.mode in c.modes else 0) if c.modes else -1 for c, v in pairs], dtype=np.int8)
    aid = np.array([eligible for eligible, _ in aids])
    structure = np.array([v.commune_id in structures for _, v in pairs])
    under = np.array([need.get(v.commune_id, (False, ""))[0] for _, v in pairs])
    points = score(
        territory_match=territory,
        has_territory_preference=np.array([bool(c.territoires_preferes) for c, _ in pairs]),
        minutes=minutes,
        max_minutes=np.array([c.temps_max_minutes if c.temps_max_minutes else np.nan for c, _ in pairs], dtype=float),
        date_gap_days=gaps,
        mode_match=modes,
        aid_eligible=aid,
        has_structure=structure,
        under_served=under,
        weights=WEIGHTS,
    )
    matches = []
    for i, (candidate, vacancy) in enumerate(pairs):
        why = {
            "territoire": (
                "dans un territoire souhaité"
                if territory[i]
                else "hors des territoires souhaités"
                if candidate.territoires_preferes
                else "aucun territoire indiqué"
            ),
            "distance": (
                "lieu de référence inconnu"
                if np.isnan(minutes[i])
                else f"{minutes[i]:.0f} min estimées depuis {candidate.commune_reference.nom}"  # type: ignore[union-attr]
                + (
                    f" (maximum {candidate.temps_max_minutes} min)"
                    if candidate.temps_max_minutes
                    else " (pas de maximum indiqué)"
                )
            ),
            "date": ("date inconnue" if np.isnan(gaps[i]) else f"écart de {gaps[i]:.0f} jours avec la disponibilité"),
            "mode": (
                "aucun mode indiqué"
                if modes[i] < 0
                else f"{Mode(vacancy.mode).label.lower()} {'accepté' if modes[i] else 'non souhaité'}"
            ),
            "aide": aids[i][1],
            "attractivite": " ; ".join(
                part
                for part in (
                    structures.get(vacancy.commune_id, "pas de maison ou centre de santé"),
                    need.get(vacancy.commune_id, (False, ""))[1],
                )
                if part
            ),
        }
        components = [
            Component(name, LABELS[name], float(points[i, k]), float(getattr(WEIGHTS, name)), why[name])
            for k, name in enumerate(COMPONENTS)
        ]
        matches.append(Match(candidate, vacancy, float(points[i].sum()), components))
    return sorted(matches, key=lambda m: -m.total)


def rank_vacancies(user: Any, candidate: Candidate) -> list[Match]:
    """Open vacancies of the candidate's profession the user can see, best first."""
    vacancies = perms.visible_vacancies(user).filter(statut=VacancyStatus.OUVERT, profession=candidate.profession)
    candidate = Candidate.objects.prefetch_related("agreements__scheme").select_related("commune_reference").get(pk=candidate.pk)
    return _pairs([(candidate, v) for v in vacancies.select_related("commune")])


def rank_candidates(user: Any, vacancy: Vacancy, today: date | None = None) -> list[Match]:
    """Candidates of the vacancy's profession the user can see, best first; each one shown is an audited access."""
    today = today or date.today()
    candidates = perms.visible_candidates(user).within_retention(today).filter(profession=vacancy.profession)
    candidates = candidates.select_related("commune_reference").prefetch_related("agreements__scheme")
    matches = _pairs([(c, vacancy) for c in candidates])
    record_views(user, [m.candidate for m in matches], f"classement pour le poste n° {vacancy.pk}")
    return matches
