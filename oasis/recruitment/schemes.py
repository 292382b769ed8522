"""Aid schemes: which ones a candidate may receive, which ones apply at a place and why (zoning, territory, dates),
and a Département's configuration of its own schemes.

A scheme is offered only while it is open (``oasis.validity``): a closed national contract (CAIM…) is shown as
« fermé » with what replaced it, never as open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from oasis.audit.services import record
from oasis.formatting import montant
from oasis.recruitment import perms
from oasis.recruitment.common import NotAllowed, _amount, _check_departement
from oasis.recruitment.enums import APL_PROFESSION
from oasis.recruitment.models import AidScheme, Candidate
from oasis.territories.models import Commune
from oasis.territories.services import commune_in_any, parse_territory_ref, territory_names
from oasis.validity import Validity, check_dates, open_on
from oasis.verdicts.services import Verdict, verdict

# Refusals, asserted by reference in the tests. Templates take their values by name.
NATIONAL_SCHEME_ADMIN_ONLY = "Seul un administrateur peut modifier un dispositif national."
SCHEME_OUTSIDE_DEPARTEMENT = "Vous ne pouvez configurer que les dispositifs de votre département."
YEARS_REVERSED = "La première année aidée est après la dernière."
AMOUNT_REQUIRED = "Indiquez un montant mensuel ou un montant forfaitaire."
AMOUNT_BOTH = "Indiquez un montant mensuel ou un montant forfaitaire, pas les deux."
COMMITMENT_REQUIRED = "Indiquez la durée d'exercice exigée (l'engagement du bénéficiaire)."
TERRITORY_OUTSIDE = "« {nom} » n'est pas dans le département {departement} : un dispositif s'applique sur son territoire."
TERRITORY_KIND = "« {ref} » : choisissez des communes ou des EPCI."
# Why a scheme applies at a place, or not.
AID_ZONE_REQUIRED = "réservé aux zones sous-denses ; ici : {zoning}"
AID_ZONE_MET = "zone sous-dense ({zoning})"
AID_ANY_ZONE = "sans condition de zone"
AID_TERRITORY_REQUIRED = "réservé à certains territoires : {territoires}"
AID_TERRITORY_MET = "dans les territoires de l'aide ({territoires})"
ZONING_UNKNOWN = "zonage inconnu"


def _today(on: date | None) -> date:
    return on if on is not None else timezone.localdate()


def open_schemes(on: date | None = None) -> QuerySet[AidScheme]:
    """The active schemes open on ``on`` (today by default)."""
    return AidScheme.objects.filter(open_on(_today(on)), actif=True)


def amount_text(scheme: AidScheme) -> str:
    """« 500 € par mois (plafond 42 000 €) », « 10 000 € en une fois », « — » for a scheme told in its conditions."""
    if scheme.montant_forfaitaire is not None:
        text = f"{montant(scheme.montant_forfaitaire)} en une fois"
    elif scheme.montant_mensuel is not None:
        text = f"{montant(scheme.montant_mensuel)} par mois"
    elif scheme.plafond is not None:
        return f"jusqu'à {montant(scheme.plafond)}"
    else:
        return "—"
    if scheme.plafond is not None:
        text += f" (plafond {montant(scheme.plafond)})"
    return text


def commitment_text(scheme: AidScheme) -> str:
    if not scheme.duree_engagement_mois:
        return "—"
    text = f"{scheme.duree_engagement_mois} mois d'exercice"
    if scheme.delai_installation_mois:
        text += f", installation dans les {scheme.delai_installation_mois} mois"
    return text


def eligible_schemes(candidate: Candidate, on: date | None = None) -> list[AidScheme]:
    """The schemes open on ``on`` to the candidate's profession, national or of the candidate's département."""
    return [
        scheme
        for scheme in open_schemes(on)
        if candidate.profession in scheme.professions
        and (scheme.departement_id is None or scheme.departement_id == candidate.departement_id)
    ]


@dataclass
class PlaceAid:
    scheme: AidScheme
    eligible: bool
    reason: str

    @property
    def montant(self) -> str:
        return amount_text(self.scheme)

    @property
    def engagement(self) -> str:
        return commitment_text(self.scheme)


def place_aid(scheme: AidScheme, commune: Commune, zoning: Verdict | None) -> PlaceAid:
    reasons = []
    if scheme.territoires:
        names = territory_names(scheme.territoires)
        if not commune_in_any(commune, scheme.territoires):
            return PlaceAid(scheme, False, AID_TERRITORY_REQUIRED.format(territoires=names))
        reasons.append(AID_TERRITORY_MET.format(territoires=names))
    if scheme.zone_sous_dense and not (zoning and zoning.sous_dense):
        return PlaceAid(scheme, False, AID_ZONE_REQUIRED.format(zoning=zoning.zone_libelle if zoning else ZONING_UNKNOWN))
    if scheme.zone_sous_dense and zoning:
        reasons.append(AID_ZONE_MET.format(zoning=zoning.zone_libelle))
    elif not scheme.territoires:
        reasons.append(AID_ANY_ZONE)
    return PlaceAid(scheme, True, " ; ".join(reasons))


def zoning_at(commune: Commune, profession: str) -> Verdict | None:
    apl_profession = APL_PROFESSION.get(profession)
    return verdict(commune.pk, apl_profession) if apl_profession else None


def aids_at(commune: Commune, profession: str, on: date | None = None) -> tuple[Verdict | None, list[PlaceAid]]:
    """The Département's schemes open on ``on`` for a profession at a place: eligible or not, and why (its
    territories, the zoning of ``oasis.verdicts``)."""
    zoning = zoning_at(commune, profession)
    rows = [
        place_aid(scheme, commune, zoning)
        for scheme in open_schemes(on).filter(departement_id=commune.departement_id)
        if profession in scheme.professions
    ]
    return zoning, rows


@dataclass
class ApplicableAid:
    """An aid open to a profession at a place, with what a professional needs to know of it."""

    scheme: AidScheme
    nom: str
    financeur: str
    national: bool
    montant: str  # « 500 € par mois (plafond 42 000 €) », « 10 000 € en une fois »
    montant_mensuel: Decimal | None
    montant_forfaitaire: Decimal | None
    plafond: Decimal | None
    engagement: str  # « 60 mois d'exercice, installation dans les 12 mois »
    conditions: str
    pourquoi: str  # why it applies here: « zone sous-dense (…) », « dans les territoires de l'aide (…) »
    validite: Validity
    contact: str
    source: str


def applicable_aids(commune: Commune, profession: str, on: date | None = None) -> list[ApplicableAid]:
    """Every scheme open on ``on`` (today by default) that applies to ``profession`` at ``commune``: the national
    ones and those of the commune's Département, within their territories and zone; closed or not yet open schemes are
    left out. National schemes first, then the Département's, by name."""
    day = _today(on)
    zoning = zoning_at(commune, profession)
    found = []
    schemes = open_schemes(day).filter(Q(departement__isnull=True) | Q(departement_id=commune.departement_id))
    for scheme in schemes:
        if profession not in scheme.professions:
            continue
        place = place_aid(scheme, commune, zoning)
        if not place.eligible:
            continue
        found.append(
            ApplicableAid(
                scheme=scheme,
                nom=scheme.nom,
                financeur=scheme.financeur,
                national=scheme.departement_id is None,
                montant=amount_text(scheme),
                montant_mensuel=scheme.montant_mensuel,
                montant_forfaitaire=scheme.montant_forfaitaire,
                plafond=scheme.plafond,
                engagement=commitment_text(scheme),
                conditions=scheme.conditions,
                pourquoi=place.reason,
                validite=scheme.validity(day),
                contact=scheme.contact,
                source=scheme.source,
            )
        )
    return sorted(found, key=lambda aid: (not aid.national, aid.nom))


def _check_territories(refs: list[str], departement: str | None) -> None:
    for ref in refs:
        territory = parse_territory_ref(ref)
        if territory.niveau not in ("commune", "epci"):
            raise ValueError(TERRITORY_KIND.format(ref=territory.nom))
        if departement is None:
            continue
        inside = (
            Commune.objects.filter(pk=territory.code, departement_id=departement).exists()
            if territory.niveau == "commune"
            else Commune.objects.filter(epci_id=territory.code, departement_id=departement).exists()
        )
        if not inside:
            raise ValueError(TERRITORY_OUTSIDE.format(nom=territory.nom, departement=departement))


def save_scheme(user: Any, scheme: AidScheme, departement: str | None) -> AidScheme:
    """Create or change a Département's scheme (administrators may also edit national information schemes): a monthly
    amount or a lump sum, the commitment, its territories (communes or EPCI of the département) and its dates."""
    if departement is None and not perms.is_admin(user):
        raise NotAllowed(NATIONAL_SCHEME_ADMIN_ONLY)
    if departement is not None and not perms.can_manage_in(user, departement):
        raise NotAllowed(SCHEME_OUTSIDE_DEPARTEMENT)
    if departement is not None:
        _check_departement(departement)
        if scheme.montant_mensuel is None and scheme.montant_forfaitaire is None:
            raise ValueError(AMOUNT_REQUIRED)
        if scheme.duree_engagement_mois is None:
            raise ValueError(COMMITMENT_REQUIRED)
    if scheme.montant_mensuel is not None and scheme.montant_forfaitaire is not None:
        raise ValueError(AMOUNT_BOTH)
    if scheme.annee_min and scheme.annee_max and scheme.annee_min > scheme.annee_max:
        raise ValueError(YEARS_REVERSED)
    check_dates(scheme.ouvert_le, scheme.ouvert_jusqu_au)
    _check_territories(scheme.territoires, departement)
    creating = scheme.pk is None
    with transaction.atomic():
        scheme.departement_id = departement
        scheme.save()
        record(
            user,
            "dispositif.creation" if creating else "dispositif.modification",
            scheme,
            {
                "montant_mensuel": _amount(scheme.montant_mensuel),
                "montant_forfaitaire": _amount(scheme.montant_forfaitaire),
                "plafond": _amount(scheme.plafond),
                "annees": [scheme.annee_min, scheme.annee_max],
                "engagement_mois": scheme.duree_engagement_mois,
                "regle": scheme.regle_remboursement,
                "territoires": scheme.territoires,
                "zone_sous_dense": scheme.zone_sous_dense,
                "validite": [str(d) if d else None for d in (scheme.ouvert_le, scheme.ouvert_jusqu_au)],
            },
        )
    return scheme
