"""Every aid for a profession at a place: the schemes of OASIS (national and the Département's, open today, within
their territories and zone: ``oasis.recruitment.schemes``) and the aids of Aides-territoires whose perimeter holds the
place, open ones only; those the zoning rules out are kept apart, with why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from oasis.connectors.enums import PerimeterScale
from oasis.connectors.models import Aide
from oasis.formatting import date_longue, fr_number
from oasis.installation.models import DepartementContact
from oasis.recruitment import schemes as scheme_service
from oasis.territories.models import Commune
from oasis.verdicts.services import Counts, Verdict


@dataclass(frozen=True)
class Aid:
    echelon: str
    nom: str
    financeur: str
    montant: str
    engagement: str
    conditions: str
    validite: str
    contact: str
    url: str
    applicable: bool
    raison: str
    source: str

    @property
    def raison_affichee(self) -> bool:
        """Whether the reason says something of this place (not « sans condition de zone »)."""
        return self.raison != scheme_service.AID_ANY_ZONE


def schemes_at(commune: Commune, profession: str) -> tuple[Verdict | None, list[scheme_service.PlaceAid]]:
    """The schemes of OASIS (national and the Département's) open today for a profession at a commune, eligible or
    not, and why (their territories, the zoning): the one place this page asks ``oasis.recruitment.schemes``. Closed
    or not yet open schemes are never returned."""
    zoning = scheme_service.zoning_at(commune, profession)
    schemes = scheme_service.open_schemes().filter(Q(departement__isnull=True) | Q(departement_id=commune.departement_id))
    items = [scheme_service.place_aid(scheme, commune, zoning) for scheme in schemes if profession in scheme.professions]
    return zoning, items


def _or_conditions(text: str) -> str:
    """A scheme whose amount or commitment is told in its conditions (a national contract): said so, not « — »."""
    return "voir les conditions" if text == "—" else text


def _scheme_aid(item: scheme_service.PlaceAid, departement_nom: str, contact: DepartementContact | None) -> Aid:
    scheme = item.scheme
    if scheme.departement_id is None:
        echelon, who = "Nationale", "Votre CPAM et l'ARS de la région (guichet unique PAPS)"
    else:
        echelon = "Département"
        who = f"{contact.nom}, {contact.fonction}" if contact else f"Département {departement_nom}"
    years = ""
    if scheme.annee_min or scheme.annee_max:
        years = (
            f"Années d'études aidées : {scheme.annee_min} à {scheme.annee_max}. "
            if scheme.annee_min and scheme.annee_max
            else f"Années d'études aidées : à partir de la {scheme.annee_min or 1}e. "
            if scheme.annee_min
            else f"Années d'études aidées : jusqu'à la {scheme.annee_max}e. "
        )
    return Aid(
        echelon=echelon,
        nom=scheme.nom,
        financeur=scheme.financeur,
        montant=_or_conditions(scheme_service.amount_text(scheme)),
        engagement=_or_conditions(scheme_service.commitment_text(scheme)),
        conditions=(years + scheme.conditions).strip(),
        validite=scheme.validity(timezone.localdate()).label,
        contact=who,
        url=scheme.source if scheme.source.startswith("http") else "",
        applicable=item.eligible,
        raison=item.reason,
        source=scheme.source if not scheme.source.startswith("http") else "",
    )


_ECHELONS = {
    PerimeterScale.NATIONAL: "Nationale",
    PerimeterScale.REGION: "Région",
    PerimeterScale.DEPARTEMENT: "Département",
    PerimeterScale.EPCI: "Intercommunalité",
    PerimeterScale.COMMUNE: "Commune",
}


def open_published_aids(centre: Commune, today: date) -> list[Aide]:
    """Aides-territoires' aids open to professionals whose perimeter holds the commune, open on ``today``: neither
    past their deadline nor before their opening, whatever their last synchronised status."""
    return list(
        Aide.objects.for_professionals()
        .open()
        .covering(centre)
        .filter(Q(date_limite__isnull=True) | Q(date_limite__gte=today))
        .filter(Q(date_ouverture__isnull=True) | Q(date_ouverture__lte=today))
        .order_by("date_limite", "nom")
    )


def _published_aid(aide: Aide) -> Aid:
    rate = ""
    if aide.taux_min is not None or aide.taux_max is not None:
        low, high = aide.taux_min, aide.taux_max
        rate = (
            f"{fr_number(low)} à {fr_number(high)} % de la dépense"
            if low is not None and high is not None
            else (f"jusqu'à {fr_number(high if high is not None else low)} % de la dépense")
        )
    validity = f"jusqu'au {date_longue(aide.date_limite)}" if aide.date_limite else aide.recurrence or "sans date limite"
    if aide.date_ouverture:
        validity = f"du {date_longue(aide.date_ouverture)} " + validity.replace("jusqu'au", "au")
    return Aid(
        echelon=_ECHELONS.get(aide.perimetre_echelle, "Autre"),  # type: ignore[call-overload]
        nom=aide.nom,
        financeur=", ".join(aide.financeurs),
        montant=rate or ", ".join(aide.types) or "voir la fiche",
        engagement="voir la fiche",
        conditions=f"Périmètre : {aide.perimetre}. Bénéficiaires : {', '.join(aide.publics)}.",
        validite=validity,
        contact=", ".join(aide.instructeurs) or ", ".join(aide.financeurs),
        url=aide.url,
        applicable=True,
        raison=f"périmètre : {aide.perimetre}",
        source=f"Aides-territoires, synchronisé le {date_longue(aide.vue_le)}",
    )


ECHELON_ORDER = ["Nationale", "Région", "Département", "Intercommunalité", "Commune", "Autre"]


def aids_at(
    centre: Commune, profession: str, departement_nom: str, contact: DepartementContact | None, counts: Counts | None
) -> tuple[Verdict | None, list[Aid], list[Aid]]:
    """Every aid for the profession at the place: applicable ones, and those the zoning rules out (with why).

    For an EPCI or a département (``counts`` given), a scheme reserved to sous-dense zones applies in its sous-dense
    communes: it is applicable when there is at least one."""
    zoning, items = schemes_at(centre, profession)
    if counts is not None:
        items = [
            scheme_service.PlaceAid(
                item.scheme,
                counts.communes_sous_denses > 0,
                f"dans les communes sous-denses du territoire ({counts.communes_sous_denses} sur {counts.communes})",
            )
            if item.scheme.zone_sous_dense and not item.scheme.territoires
            else item
            for item in items
        ]
    rows = [_scheme_aid(item, departement_nom, contact) for item in items]
    rows += [_published_aid(aide) for aide in open_published_aids(centre, timezone.localdate())]
    rows.sort(key=lambda aid: (ECHELON_ORDER.index(aid.echelon), aid.nom))
    return zoning, [a for a in rows if a.applicable], [a for a in rows if not a.applicable]
