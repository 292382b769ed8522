"""« Où m'installer ? »: for a profession and a place, everything a professional weighs, in one answer.

The verdict of the official zoning (``oasis.verdicts``, as everywhere), the official APL over the imported vintages and
the share of supply from practitioners over 65 (``oasis.references``), the nearest maisons and centres de santé
(``nearby.py``: the application's one road model), the open vacancies and the projects seeking the profession
(``oasis.recruitment.portal``), every aid that applies there (``aids.py``) and the Département's contact. A place is
a commune, an EPCI or a département; the figures of an EPCI or a département are the territory's, distances are from
its most populous commune.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q

from oasis.core.geo import haversine_km
from oasis.datasets.fingerprint import kept
from oasis.formatting import date_longue
from oasis.installation.aids import Aid, aids_at
from oasis.installation.models import DepartementContact
from oasis.installation.nearby import Nearby, road_model, structures_near, travel
from oasis.projects.models import Project
from oasis.recruitment.enums import APL_PROFESSION, Profession
from oasis.recruitment.models import Vacancy
from oasis.recruitment.portal import public_vacancies, seeking_projects
from oasis.references.services import official_years, territory_official_apl
from oasis.territories.fields import resolve_territory
from oasis.territories.models import Commune
from oasis.territories.services import Territory
from oasis.verdicts.services import Counts, Verdict, territory_counts

PLACE_LEVELS = ("commune", "epci", "departement")
MAX_PLACES = 3
NEAR_MINUTES = 45.0
"""Vacancies and projects outside the place are shown when they are within this road time of it."""
AROUND_KM = 0.25
"""Half-side (degrees) of the box where « autour de moi » looks for the nearest commune first."""


# --- What the page shows -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AplPoint:
    annee: int
    apl: float | None
    apl_moins_65: float | None
    part_plus_de_65: float | None


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
    estimate = road_model()
    _, minutes = travel(
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
        return counts, _apl(territory, profession), structures_near(centre)

    counts, (apl, apl_source, apl_unite), (structures, structures_source) = kept(
        f"installation:lieu:{territory.ref}:{profession}", figures
    )
    zoning, aids, not_applicable = aids_at(centre, profession, departement_nom, contact, counts)
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
