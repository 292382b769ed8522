"""« Où m'installer ? »: for a profession and a place, everything a professional weighs, in one answer.

The verdict of the official zoning (``oasis.verdicts``, as everywhere), the official APL over the imported vintages and
the share of supply from practitioners over 65 (``oasis.references``), the nearest maisons and centres de santé (FINESS
by name, else the BPE per commune) with distance and travel time (the APL engine's road-time estimate), the open
vacancies and the projects seeking the profession (``oasis.recruitment.portal``), every aid that applies there (the
schemes of ``oasis.recruitment.schemes`` and the aids of Aides-territoires, open ones only) and the Département's
contact. A place is a commune, an EPCI or a département; the figures of an EPCI or a département are the territory's,
distances are from its most populous commune.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone
from numpy.typing import NDArray

from oasis.connectors.enums import PerimeterScale
from oasis.connectors.models import Aide
from oasis.core.geo import haversine_km
from oasis.core.traveltime import RoadModel
from oasis.datasets.fingerprint import kept
from oasis.formatting import date_longue, fr_number
from oasis.installation.models import DepartementContact
from oasis.projects.models import Project
from oasis.recruitment import schemes as scheme_service
from oasis.recruitment.enums import APL_PROFESSION, Profession
from oasis.recruitment.models import Vacancy
from oasis.recruitment.portal import public_vacancies, seeking_projects
from oasis.references.enums import STRUCTURE_EQUIPEMENT
from oasis.references.models import FinessStructure
from oasis.references.services import latest_finess, official_years, territory_official_apl
from oasis.supply.enums import STRUCTURES
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes
from oasis.territories.fields import resolve_territory
from oasis.territories.models import Commune
from oasis.territories.services import Territory
from oasis.verdicts.services import Counts, Verdict, territory_counts

PLACE_LEVELS = ("commune", "epci", "departement")
MAX_PLACES = 3
NEAREST = 5
NEAR_MINUTES = 45.0
"""Vacancies and projects outside the place are shown when they are within this road time of it."""
AROUND_KM = 0.25
"""Half-side (degrees) of the box where « autour de moi » looks for the nearest commune first."""

TRAVEL_SOURCE = "temps de trajet estimés par le modèle de l'APL d'OASIS (vol d'oiseau × détour, vitesse selon le lieu)"


# --- The one call to the schemes service -------------------------------------------------------------------------


def schemes_at(commune: Commune, profession: str) -> tuple[Verdict | None, list[scheme_service.PlaceAid]]:
    """The schemes of OASIS (national and the Département's) open today for a profession at a commune, eligible or
    not, and why (their territories, the zoning): the one place this page asks ``oasis.recruitment.schemes``. Closed
    or not yet open schemes are never returned."""
    zoning = scheme_service.zoning_at(commune, profession)
    schemes = scheme_service.open_schemes().filter(Q(departement__isnull=True) | Q(departement_id=commune.departement_id))
    items = [scheme_service.place_aid(scheme, commune, zoning) for scheme in schemes if profession in scheme.professions]
    return zoning, items


# --- What the page shows -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AplPoint:
    annee: int
    apl: float | None
    apl_moins_65: float | None
    part_plus_de_65: float | None


@dataclass(frozen=True)
class Nearby:
    """A maison or centre de santé (or a commune's count of them, from the BPE), with its road time from the place."""

    nom: str
    categorie: str
    commune: str
    distance_km: float
    minutes: float
    adresse: str = ""


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


@dataclass(frozen=True)
class Opening:
    """An open vacancy, or a project seeking the profession, with its road time from the place."""

    titre: str
    lieu: str
    minutes: float | None
    details: str
    vacancy: Vacancy | None = None
    project: Project | None = None


@dataclass
class PlaceReport:
    territory: Territory
    centre: Commune
    profession: str
    verdict: Verdict | None
    counts: Counts | None
    apl: list[AplPoint]
    apl_source: str
    apl_unite: str
    structures: list[Nearby]
    structures_source: str
    openings: list[Opening]
    aids: list[Aid]
    not_applicable: list[Aid]
    contact: DepartementContact | None
    departement_nom: str
    sources: list[str] = field(default_factory=list)

    @property
    def profession_label(self) -> str:
        return str(Profession(self.profession).label)

    @property
    def is_commune(self) -> bool:
        return self.territory.niveau == "commune"

    @property
    def latest_apl(self) -> AplPoint | None:
        return self.apl[-1] if self.apl else None

    @property
    def trend(self) -> float | None:
        """Change of the official APL from the oldest to the newest imported vintage (None with fewer than two)."""
        known = [point for point in self.apl if point.apl is not None]
        if len(known) < 2:
            return None
        return float(known[-1].apl - known[0].apl)  # type: ignore[operator]

    @property
    def vacancies(self) -> list[Opening]:
        return [o for o in self.openings if o.vacancy is not None]

    @property
    def projects(self) -> list[Opening]:
        return [o for o in self.openings if o.project is not None]

    @property
    def signup_query(self) -> str:
        """The query string that fills in « Me faire connaître » with this place and profession."""
        from urllib.parse import urlencode

        return urlencode({"departement": self.centre.departement_id, "profession": self.profession, "lieu": self.territory.ref})


class PlaceRefused(ValueError):
    """A place the page cannot answer for; the message says why, in French."""


def resolve_place(text: str) -> Territory:
    """A commune, EPCI or département typed by name (« Loudun », « 86022 », « CC du Pays Loudunais (…) »)."""
    return resolve_territory(text, PLACE_LEVELS)


def place_near(longitude: float, latitude: float) -> Territory:
    """The commune whose reference point is nearest to a position (« autour de moi »)."""
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise PlaceRefused("Position invalide.")
    box = Q(longitude__range=(longitude - AROUND_KM, longitude + AROUND_KM)) & Q(
        latitude__range=(latitude - AROUND_KM, latitude + AROUND_KM)
    )
    rows = list(Commune.objects.communes().filter(box).values_list("code_insee", "nom", "longitude", "latitude"))
    if not rows:
        rows = list(Commune.objects.communes().values_list("code_insee", "nom", "longitude", "latitude"))
    lon = np.array([row[2] for row in rows])
    lat = np.array([row[3] for row in rows])
    nearest = rows[int(np.argmin(haversine_km(longitude, latitude, lon, lat)))]
    return resolve_territory(f"com:{nearest[0]}", PLACE_LEVELS)


def _centre(territory: Territory) -> Commune:
    if territory.niveau == "commune":
        assert isinstance(territory.obj, Commune)
        return territory.obj
    centre = territory.communes().order_by("-population").first()
    if centre is None:
        raise PlaceRefused(f"{territory.nom} : aucune commune.")
    return centre


@dataclass(frozen=True)
class _Estimate:
    """The application's one road-time model (``EstimateProvider``: ``RoadModel`` and the speed of each urban
    category), as the APL, the siting and the matching use it."""

    model: RoadModel
    speeds: dict[str, float]
    default_speed: float

    def speed(self, category: str) -> float:
        return self.speeds.get(category, self.default_speed)


def _estimate() -> _Estimate:
    from oasis.accessibility.params import load_parameters
    from oasis.accessibility.traveltime import EstimateProvider

    def build() -> _Estimate:
        provider = EstimateProvider(load_parameters().travel)
        return _Estimate(provider.model, provider.speeds, provider.default_speed)

    return kept("installation:modele-trajets", build)


def _travel(
    origin: Commune, longitude: Iterable[float | None], latitude: Iterable[float | None], speeds: Iterable[float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Great-circle km and estimated road minutes from a commune to points (the APL engine's estimate)."""
    estimate = _estimate()
    lon, lat = np.asarray(list(longitude), dtype=float), np.asarray(list(latitude), dtype=float)
    km = haversine_km(origin.longitude, origin.latitude, lon, lat)
    speed = np.asarray(list(speeds), dtype=float)
    return km, estimate.model.minutes(km, estimate.speed(origin.categorie_aav), speed)


@dataclass(frozen=True)
class _Points:
    """Every maison and centre de santé of France with its place, read once per data version."""

    rows: list[tuple[str, str, str, str]]
    """(name, category, commune, address)"""
    longitude: NDArray[np.float64]
    latitude: NDArray[np.float64]
    speed: NDArray[np.float64]
    source: str


def _structure_points() -> _Points:
    """Named from the newest FINESS import, else counted per commune by the newest BPE."""
    estimate = _estimate()
    reference = latest_finess()
    if reference is not None:
        finess = list(
            FinessStructure.objects.filter(
                reference=reference, categorie__in=list(STRUCTURE_EQUIPEMENT), longitude__isnull=False
            ).select_related("commune")
        )
        if finess:
            return _Points(
                [
                    (r.nom, r.get_categorie_display(), r.commune.nom if r.commune else r.code_commune_publie, r.adresse)
                    for r in finess
                ],
                np.array([r.longitude for r in finess], dtype=float),
                np.array([r.latitude for r in finess], dtype=float),
                np.array([estimate.speed(r.commune.categorie_aav if r.commune else "") for r in finess], dtype=float),
                f"FINESS, {reference.millesime} ; {TRAVEL_SOURCE}",
            )
    latest = max(bpe_millesimes(), default=None)
    counts = (
        list(
            SupplyCount.objects.filter(millesime=latest, equipement__in=STRUCTURES, nombre__gt=0).values_list(
                "equipement", "nombre", "commune__nom", "commune__longitude", "commune__latitude", "commune__categorie_aav"
            )
        )
        if latest is not None
        else []
    )
    labels = {
        "maison-de-sante": ("Maison de santé", "Maisons de santé"),
        "centre-de-sante": ("Centre de santé", "Centres de santé"),
    }
    rows = []
    for kind, number, name, *_ in counts:
        singular, plural = labels[kind]
        rows.append((f"{singular}, {name}" if number == 1 else f"{number} {plural.lower()}, {name}", singular, name, ""))
    return _Points(
        rows,
        np.array([c[3] for c in counts], dtype=float),
        np.array([c[4] for c in counts], dtype=float),
        np.array([estimate.speed(c[5]) for c in counts], dtype=float),
        f"INSEE, BPE {latest} (nombre par commune, sans les noms : FINESS non importé) ; {TRAVEL_SOURCE}" if counts else "",
    )


def _structures(centre: Commune) -> tuple[list[Nearby], str]:
    """The nearest maisons and centres de santé, by estimated road time from the commune."""
    points = kept("installation:structures", _structure_points)
    if not points.rows:
        return [], ""
    km, minutes = _travel(centre, points.longitude, points.latitude, points.speed)
    return [
        Nearby(
            nom=points.rows[i][0],
            categorie=points.rows[i][1],
            commune=points.rows[i][2],
            distance_km=float(km[i]),
            minutes=float(minutes[i]),
            adresse=points.rows[i][3],
        )
        for i in np.argsort(minutes, kind="stable")[:NEAREST]
    ], points.source


def _openings(territory: Territory, centre: Commune, profession: str) -> list[Opening]:
    """Open vacancies of the profession and projects seeking it, in the place or within ``NEAR_MINUTES`` of it."""
    inside = set(territory.units().values_list("code_insee", flat=True))
    vacancies = list(
        public_vacancies().filter(profession=profession, commune__region_id=centre.region_id).order_by("debut", "pk")
    )
    label = str(Profession(profession).label)
    projects = [
        (project, sought)
        for project, sought in seeking_projects()
        if label in sought and project.commune_principale.region_id == centre.region_id
    ]
    places = [v.commune for v in vacancies] + [p.commune_principale for p, _ in projects]
    if not places:
        return []
    estimate = _estimate()
    _, minutes = _travel(
        centre, [c.longitude for c in places], [c.latitude for c in places], [estimate.speed(c.categorie_aav) for c in places]
    )
    openings = []
    for i, vacancy in enumerate(vacancies):
        if vacancy.commune_id in inside or minutes[i] <= NEAR_MINUTES:
            details = vacancy.get_mode_display()
            if vacancy.debut:
                details += f", à partir du {date_longue(vacancy.debut)}"
            if vacancy.logement:
                details += ", logement proposé"
            openings.append(Opening(str(vacancy), vacancy.commune.nom, float(minutes[i]), details, vacancy=vacancy))
    for j, (project, sought) in enumerate(projects, start=len(vacancies)):
        if project.commune_principale_id in inside or minutes[j] <= NEAR_MINUTES:
            openings.append(
                Opening(
                    project.nom,
                    project.commune_principale.nom,
                    float(minutes[j]),
                    f"{project.get_kind_display()} ({project.get_stage_display().lower()}) : cherche {', '.join(sought)}",
                    project=project,
                )
            )
    return sorted(openings, key=lambda o: (o.minutes if o.minutes is not None else 1e9, o.titre))


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


def _aids(
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


def _apl(territory: Territory, profession: str) -> tuple[list[AplPoint], str, str]:
    apl_profession = APL_PROFESSION.get(profession)
    if not apl_profession:
        return [], "", ""
    points, source, unite = [], "", ""
    for year in sorted(official_years(apl_profession)):
        summary = territory_official_apl(territory, apl_profession, year)
        if summary is None:
            continue
        points.append(AplPoint(year, summary.apl, summary.apl_moins_65, summary.part_offre_plus_de_65_ans))
        source, unite = summary.source, summary.unite
    if len(points) > 1:
        source = f"DREES, APL {points[0].annee} à {points[-1].annee} (millésimes importés) ; le plus récent : {source}"
    return points, source, unite


def contact_of(departement: str) -> DepartementContact | None:
    return DepartementContact.objects.filter(departement_id=departement).first()


def report(territory: Territory, profession: str) -> PlaceReport:
    """Everything « Où m'installer ? » says of one place for one profession."""
    if territory.niveau not in PLACE_LEVELS:
        raise PlaceRefused(f"{territory.nom} : choisissez une commune, une intercommunalité ou un département.")
    if profession not in Profession.values:
        raise PlaceRefused("Profession inconnue.")
    centre = _centre(territory)
    contact = contact_of(centre.departement_id)
    departement_nom = centre.departement.nom
    apl_profession = APL_PROFESSION.get(profession)

    def figures() -> tuple[Counts | None, tuple[list[AplPoint], str, str], tuple[list[Nearby], str]]:
        """What depends on the national data only, kept per data version (the aids and openings are read live)."""
        counts = territory_counts(territory, apl_profession) if territory.niveau != "commune" and apl_profession else None
        return counts, _apl(territory, profession), _structures(centre)

    counts, (apl, apl_source, apl_unite), (structures, structures_source) = kept(
        f"installation:lieu:{territory.ref}:{profession}", figures
    )
    zoning, aids, not_applicable = _aids(centre, profession, departement_nom, contact, counts)
    return PlaceReport(
        territory=territory,
        centre=centre,
        profession=profession,
        verdict=zoning,
        counts=counts,
        apl=apl,
        apl_source=apl_source,
        apl_unite=apl_unite,
        structures=structures,
        structures_source=structures_source,
        openings=_openings(territory, centre, profession),
        aids=aids,
        not_applicable=not_applicable,
        contact=contact,
        departement_nom=departement_nom,
    )


def reports(territories: list[Territory], profession: str) -> list[PlaceReport]:
    return [report(territory, profession) for territory in territories[:MAX_PLACES]]


# --- The Département's contact -----------------------------------------------------------------------------------


CONTACT_OUTSIDE = "Vous ne pouvez renseigner que le contact de votre département."


def save_contact(user: Any, departement: str, data: dict[str, str]) -> DepartementContact:
    """Create or change the Département's contact (its officers, or an administrator); audited."""
    from django.db import transaction

    from oasis.audit.services import record
    from oasis.recruitment import perms

    if not perms.can_manage_in(user, departement):
        raise PermissionError(CONTACT_OUTSIDE)
    with transaction.atomic():
        contact, created = DepartementContact.objects.select_for_update().get_or_create(
            departement_id=departement, defaults={"nom": data["nom"]}
        )
        for name in ("nom", "fonction", "telephone", "email", "adresse"):
            setattr(contact, name, data.get(name, ""))
        contact.updated_by = user
        contact.save()
        record(user, "contact_installation.creation" if created else "contact_installation.modification", contact, data)
    return contact
