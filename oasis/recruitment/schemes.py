"""Aid schemes: which ones a candidate may receive, which ones apply at a place and why (zoning), and a Département's
configuration of its own schemes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from oasis.audit.services import record
from oasis.recruitment import perms
from oasis.recruitment.common import NotAllowed, _amount, _check_departement
from oasis.recruitment.enums import APL_PROFESSION
from oasis.recruitment.models import AidScheme, Candidate
from oasis.territories.models import Commune
from oasis.verdicts.services import Verdict, verdict

# Refusals, asserted by reference in the tests. Templates take their values by name.
NATIONAL_SCHEME_ADMIN_ONLY = "Seul un administrateur peut modifier un dispositif national."
SCHEME_OUTSIDE_DEPARTEMENT = "Vous ne pouvez configurer que les dispositifs de votre département."
YEARS_REVERSED = "La première année aidée est après la dernière."
# Why a scheme applies at a place, or not.
AID_ZONE_REQUIRED = "réservé aux zones sous-denses ; ici : {zoning}"
AID_ZONE_MET = "zone sous-dense ({zoning})"
AID_ANY_ZONE = "sans condition de zone"
ZONING_UNKNOWN = "zonage inconnu"


def eligible_schemes(candidate: Candidate) -> list[AidScheme]:
    return [
        scheme
        for scheme in AidScheme.objects.filter(actif=True)
        if candidate.profession in scheme.professions
        and (scheme.departement_id is None or scheme.departement_id == candidate.departement_id)
    ]


@dataclass
class PlaceAid:
    scheme: AidScheme
    eligible: bool
    reason: str


def aids_at(commune: Commune, profession: str) -> tuple[Verdict | None, list[PlaceAid]]:
    """The Département's schemes for a profession at a place: eligible or not, and why (``oasis.verdicts``)."""
    apl_profession = APL_PROFESSION.get(profession)
    zoning = verdict(commune.pk, apl_profession) if apl_profession else None
    rows = []
    for scheme in AidScheme.objects.filter(actif=True, departement_id=commune.departement_id):
        if profession not in scheme.professions:
            continue
        if scheme.zone_sous_dense and not (zoning and zoning.sous_dense):
            rows.append(
                PlaceAid(scheme, False, AID_ZONE_REQUIRED.format(zoning=zoning.zone_libelle if zoning else ZONING_UNKNOWN))
            )
        elif scheme.zone_sous_dense and zoning:
            rows.append(PlaceAid(scheme, True, AID_ZONE_MET.format(zoning=zoning.zone_libelle)))
        else:
            rows.append(PlaceAid(scheme, True, AID_ANY_ZONE))
    return zoning, rows


def save_scheme(user: Any, scheme: AidScheme, departement: str | None) -> AidScheme:
    """Create or change a Département's scheme (administrators may also edit national information schemes)."""
    if departement is None and not perms.is_admin(user):
        raise NotAllowed(NATIONAL_SCHEME_ADMIN_ONLY)
    if departement is not None and not perms.can_manage_in(user, departement):
        raise NotAllowed(SCHEME_OUTSIDE_DEPARTEMENT)
    if departement is not None:
        _check_departement(departement)
    if scheme.annee_min and scheme.annee_max and scheme.annee_min > scheme.annee_max:
        raise ValueError(YEARS_REVERSED)
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
                "plafond": _amount(scheme.plafond),
                "annees": [scheme.annee_min, scheme.annee_max],
                "engagement_mois": scheme.duree_engagement_mois,
                "regle": scheme.regle_remboursement,
            },
        )
    return scheme
