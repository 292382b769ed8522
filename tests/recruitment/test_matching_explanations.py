"""Each match's six components, their points counted by hand from the rules (territory 30, distance 25, date 15,
mode 10, aid 10, attractiveness 10) and their explanations in words, on places whose zoning, structures and projects
the test sets: an official zoning order, BPE counts, a project followed in OASIS. Travel minutes are recomputed from
the APL parameter file with the haversine written here."""

from __future__ import annotations

import math
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oasis.accessibility.params import load_parameters
from oasis.audit.models import AuditEvent
from oasis.projects.enums import Stage
from oasis.projects.models import Project
from oasis.recruitment import matching
from oasis.recruitment.agreements import create_agreement
from oasis.recruitment.candidates import CandidateData, create_candidate
from oasis.recruitment.models import AidScheme, Candidate, Vacancy
from oasis.recruitment.schemes import save_scheme
from oasis.recruitment.vacancies import VacancyData, create_vacancy, set_vacancy_status
from oasis.references.importers import run_import
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes
from oasis.territories.models import Commune
from tests.projects.conftest import project  # noqa: F401
from tests.recruitment.conftest import make_scheme

SCHEME = "Aide aux études de médecine (Vienne)"
LABELS = [
    "Territoire souhaité",
    "Temps de trajet",
    "Date de prise de poste",
    "Mode d'exercice",
    "Aide mobilisable",
    "Attractivité du lieu",
]


def road_minutes(origin: Commune, place: Commune) -> float:
    """Great-circle km × detour, the first and last 4 km (at most half the road each) at each end's speed, the rest
    at the speed between built-up areas (OASIS's one road model, the APL's)."""
    travel = load_parameters().travel
    lon1, lat1, lon2, lat2 = map(math.radians, (origin.longitude, origin.latitude, place.longitude, place.latitude))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    road = travel["coefficient_detour"] * 2 * 6371.0088 * math.asin(math.sqrt(a))
    speeds = travel["vitesse_kmh_par_categorie_aav"]

    def speed(commune: Commune) -> float:
        return float(speeds.get(commune.categorie_aav, travel["vitesse_kmh_defaut"]))

    local = min(travel["distance_locale_km"], road / 2)
    route = road - 2 * local
    return 60 * (local / speed(origin) + local / speed(place) + route / travel["vitesse_kmh_entre_agglomerations"])


def components(match: matching.Match) -> dict[str, tuple[float, str]]:
    return {c.name: (round(c.points, 6), c.why) for c in match.components}


@pytest.fixture
def places(cast, vienne_medecine, tmp_path):
    """Chauvigny in a zone de vigilance with a maison de santé; Lussac in a ZAC with a centre de santé; La Rochelle
    hors zonage with none; the Vienne's aid reserved to under-served zones."""
    header = "region;date_arrete;code_insee;profession;zone\n"
    rows = "75;2024-03-01;86070;generaliste;ZV\n75;2024-03-01;86140;generaliste;ZAC\n75;2024-03-01;17300;generaliste;HZ\n"
    (tmp_path / "zonage.csv").write_text(header + rows, encoding="utf-8")
    run_import("zonage", tmp_path / "zonage.csv")
    latest = max(bpe_millesimes())
    SupplyCount.objects.filter(
        commune_id__in=["86070", "86140", "17300"], equipement__in=["maison-de-sante", "centre-de-sante"]
    ).delete()
    SupplyCount.objects.create(commune_id="86070", equipement="maison-de-sante", millesime=latest, nombre=1)
    SupplyCount.objects.create(commune_id="86140", equipement="centre-de-sante", millesime=latest, nombre=2)
    SupplyCount.objects.create(commune_id="17300", equipement="maison-de-sante", millesime=latest - 1, nombre=1)
    SupplyCount.objects.create(commune_id="17300", equipement="centre-de-sante", millesime=latest, nombre=0)
    vienne_medecine.zone_sous_dense = True
    save_scheme(cast["vienne"], vienne_medecine, "86")
    return latest


def post(cast, commune: str, mode: str = "liberal", debut: date | None = None, profession: str = "generaliste") -> Vacancy:
    data = VacancyData(commune=commune, profession=profession, mode=mode, contact_nom="Mairie", debut=debut)
    return create_vacancy(cast["admin"], data)


def person(cast, nom: str, profession: str = "generaliste", **values) -> Candidate:
    data = CandidateData(nom=nom, prenom="A", profession=profession, situation="interne", **values)
    return create_candidate(cast["vienne"], "86", data, True)


def test_a_candidates_posts_ranked_and_explained(cast, places, project):  # noqa: F811
    latest = places
    chauvigny = post(cast, "86070", debut=date(2027, 1, 11))
    lussac = post(cast, "86140", mode="salarie", debut=date(2026, 12, 22))
    la_rochelle = post(cast, "17300")
    lea = person(
        cast,
        "Durand",
        commune_reference="86194",
        temps_max_minutes=60,
        territoires_preferes=["com:86070"],
        modes=["liberal"],
        disponible_le=date(2027, 1, 1),
    )
    poitiers = Commune.objects.get(pk="86194")
    minutes = {v.pk: road_minutes(poitiers, v.commune) for v in (chauvigny, lussac, la_rochelle)}
    assert minutes[chauvigny.pk] < 60 < minutes[la_rochelle.pk]

    ranked = matching.rank_vacancies(cast["admin"], lea)
    by_post = {m.vacancy.pk: m for m in ranked}
    assert [m.vacancy.pk for m in ranked] == [chauvigny.pk, lussac.pk, la_rochelle.pk]
    for match in ranked:
        assert [c.label for c in match.components] == LABELS
        assert [c.maximum for c in match.components] == [30, 25, 15, 10, 10, 10]
        assert match.total == pytest.approx(sum(c.points for c in match.components))

    def trip(vacancy: Vacancy) -> str:
        return f"{minutes[vacancy.pk]:.0f} min estimées depuis Poitiers (maximum 60 min)"

    def distance_points(vacancy: Vacancy) -> float:
        return round(25 * max(0.0, (60 - minutes[vacancy.pk]) / 60), 6)

    assert components(by_post[chauvigny.pk]) == {
        "territoire": (30, "dans un territoire souhaité"),
        "distance": (distance_points(chauvigny), trip(chauvigny)),
        "date": (15, "écart de 10 jours avec la disponibilité"),
        "mode": (10, "libéral accepté"),
        "aide": (0, f"« {SCHEME} » réservé aux zones sous-denses (Zone de vigilance)"),
        "attractivite": (5, f"maison de santé existante (BPE {latest}) ; Zone de vigilance (zonage de l'ARS)"),
    }
    stage = project.get_stage_display().lower()
    assert components(by_post[lussac.pk]) == {
        "territoire": (0, "hors des territoires souhaités"),
        "distance": (distance_points(lussac), trip(lussac)),
        "date": (15, "écart de 10 jours avec la disponibilité"),
        "mode": (0, "salarié non souhaité"),
        "aide": (10, f"éligible à « {SCHEME} » (Zone d'action complémentaire (ZAC))"),
        "attractivite": (
            10,
            f"centre de santé existante (BPE {latest}) ; projet « {project.nom} » ({stage}) ; "
            "Zone d'action complémentaire (ZAC) (zonage de l'ARS)",
        ),
    }
    assert components(by_post[la_rochelle.pk]) == {
        "territoire": (0, "hors des territoires souhaités"),
        "distance": (0, trip(la_rochelle)),
        "date": (7.5, "date inconnue"),
        "mode": (10, "libéral accepté"),
        "aide": (0, "aucune aide du Département du poste"),
        "attractivite": (0, "pas de maison ou centre de santé ; Hors zonage (zonage de l'ARS)"),
    }


def test_a_posts_candidates_without_preferences_get_half_points_said_as_unknown(cast, places, vienne_medecine):
    chauvigny = post(cast, "86070")
    bound = person(cast, "Lié", commune_reference="86194")
    create_agreement(cast["vienne"], bound, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1), 12)
    unknown = person(cast, "Inconnu")
    ranked = matching.rank_candidates(cast["admin"], chauvigny)
    assert [m.candidate.pk for m in ranked] == [bound.pk, unknown.pk]
    poitiers, place = Commune.objects.get(pk="86194"), Commune.objects.get(pk="86070")
    latest = places
    common = {
        "territoire": (15, "aucun territoire indiqué"),
        "date": (7.5, "date inconnue"),
        "mode": (5, "aucun mode indiqué"),
        "attractivite": (5, f"maison de santé existante (BPE {latest}) ; Zone de vigilance (zonage de l'ARS)"),
    }
    assert components(ranked[0]) == {
        **common,
        "distance": (12.5, f"{road_minutes(poitiers, place):.0f} min estimées depuis Poitiers (pas de maximum indiqué)"),
        "aide": (10, f"convention en cours ({SCHEME})"),
    }
    assert components(ranked[1]) == {
        **common,
        "distance": (12.5, "lieu de référence inconnu"),
        "aide": (0, f"« {SCHEME} » réservé aux zones sous-denses (Zone de vigilance)"),
    }


def test_an_aid_without_zone_condition_and_an_agreement_elsewhere(cast, places, vienne_medecine):
    vienne_medecine.zone_sous_dense = False
    save_scheme(cast["vienne"], vienne_medecine, "86")
    chauvigny = post(cast, "86070")
    la_rochelle = post(cast, "17300")
    candidate = person(cast, "Sans", modes=["salarie"])
    create_agreement(cast["vienne"], candidate, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1), 12)
    Candidate.objects.filter(pk=candidate.pk).update(departement_id="17")  # the agreement stays the Vienne's
    ranked = {m.vacancy.pk: components(m) for m in matching.rank_vacancies(cast["admin"], candidate)}
    assert ranked[chauvigny.pk]["aide"] == (10, f"convention en cours ({SCHEME})")
    assert ranked[chauvigny.pk]["mode"] == (0, "libéral non souhaité")
    assert ranked[la_rochelle.pk]["aide"] == (0, "aucune aide du Département du poste")
    other = person(cast, "Autre")
    ranked = {m.vacancy.pk: components(m) for m in matching.rank_vacancies(cast["admin"], other)}
    assert ranked[chauvigny.pk]["aide"] == (10, f"éligible à « {SCHEME} »")


def test_paused_and_refused_projects_do_not_make_a_place_attractive(cast, places, project):  # noqa: F811
    lussac = post(cast, "86140")
    candidate = person(cast, "Durand")
    latest = places
    zone = "Zone d'action complémentaire (ZAC) (zonage de l'ARS)"
    for stage in (Stage.REFUSE, Stage.ABANDONNE, Stage.SUSPENDU):
        Project.objects.filter(pk=project.pk).update(stage=stage)
        match = next(m for m in matching.rank_vacancies(cast["admin"], candidate) if m.vacancy.pk == lussac.pk)
        assert components(match)["attractivite"] == (10, f"centre de santé existante (BPE {latest}) ; {zone}")


@pytest.mark.parametrize(
    ("commune", "territory", "inside"),
    [
        ("86070", "com:86070", True),
        ("86070", "com:86140", False),
        ("75101", "com:75056", True),  # an arrondissement is in its city
        ("86070", "epci:{epci}", True),
        ("86140", "epci:{epci}", False),
        ("86070", "dep:86", True),
        ("86070", "dep:17", False),
        ("86070", "reg:75", True),
        ("86070", "reg:76", False),
        ("86070", "xyz:86070", False),
    ],
)
def test_the_preferred_territory_of_each_kind(cast, commune, territory, inside):
    vacancy = post(cast, commune)
    candidate = person(cast, "Durand")
    epci = Commune.objects.get(pk="86070").epci_id
    assert Commune.objects.get(pk="86140").epci_id != epci
    Candidate.objects.filter(pk=candidate.pk).update(territoires_preferes=[territory.format(epci=epci)])
    (match,) = matching.rank_vacancies(cast["admin"], candidate)
    assert match.vacancy == vacancy
    expected = (30, "dans un territoire souhaité") if inside else (0, "hors des territoires souhaités")
    assert components(match)["territoire"] == expected


def test_the_sources_name_the_bpe_the_apl_run_and_the_travel_estimate(db, national):
    from oasis.accessibility.runs import current_run

    run = current_run("generaliste")
    offre = run.entrees["offre"]
    assert matching.sources("generaliste") == (
        f"structures : BPE {max(bpe_millesimes())} et projets suivis dans OASIS ; "
        "sous-dotation : zonage de l'ARS quand il est importé, sinon APL officielle de la DREES (règle nationale), "
        f"sinon APL estimée {run.get_profession_display().lower()} (calculée le {run.created_at:%d/%m/%Y}, "
        f"offre {offre['source'].upper()} "
        f"{offre['millesime']}, {run.entrees['demande']}) ; "
        "temps de trajet : estimation à vol d'oiseau × coefficient de détour (paramètres APL)"
    )
    assert "n°" not in matching.sources("generaliste")  # no internal number of a computation
    assert matching.sources("medecin-specialiste") == (
        f"structures : BPE {max(bpe_millesimes())} et projets suivis dans OASIS ; "
        "temps de trajet : estimation à vol d'oiseau × coefficient de détour (paramètres APL)"
    )


def test_only_open_posts_are_offered_and_ranking_costs_the_same_queries_for_more_posts(cast, places, django_assert_num_queries):
    candidate = person(cast, "Durand", commune_reference="86194")
    create_agreement(
        cast["vienne"], candidate, AidScheme.objects.get(departement_id="86"), date(2026, 9, 1), date(2026, 9, 1), 12
    )
    first = post(cast, "86070")
    filled = post(cast, "86140")
    set_vacancy_status(cast["admin"], filled, "pourvu")
    assert [m.vacancy for m in matching.rank_vacancies(cast["admin"], candidate)] == [first]
    with CaptureQueriesContext(connection) as one:
        matching.rank_vacancies(cast["admin"], candidate)
    post(cast, "86070")  # the places' zoning is imported: no estimate to compute for them
    post(cast, "17300")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(matching.rank_vacancies(cast["admin"], candidate)) == 3


def test_ranking_candidates_records_who_saw_them_and_why_in_queries_independent_of_their_number(cast, places):
    vacancy = post(cast, "86070")
    scheme = AidScheme.objects.get(departement_id="86")
    first = person(cast, "Un", commune_reference="86194")
    create_agreement(cast["vienne"], first, scheme, date(2026, 9, 1), date(2026, 9, 1), 12)
    with CaptureQueriesContext(connection) as one:
        matching.rank_candidates(cast["vienne"], vacancy)
    for nom in ("Deux", "Trois"):
        other = person(cast, nom, commune_reference="86165")
        create_agreement(cast["vienne"], other, scheme, date(2026, 9, 1), date(2026, 9, 1), 12)
    with CaptureQueriesContext(connection) as three:
        assert len(matching.rank_candidates(cast["vienne"], vacancy)) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
    views = AuditEvent.objects.filter(action="candidat.consultation").order_by("pk")
    assert {(e.user, e.details["motif"]) for e in views} == {(cast["vienne"], f"classement pour le poste n° {vacancy.pk}")}
    assert views.count() == 4


def test_the_sources_say_when_no_bpe_is_loaded(db, national):
    SupplyCount.objects.all().delete()
    assert matching.sources("medecin-specialiste").startswith("structures : BPE — et projets suivis dans OASIS ; ")


def test_every_scheme_of_the_place_is_weighed_in_turn(cast, places):
    # Listed before the Vienne's aid (by name, in any collation): one for another profession, then one reserved to
    # under-served zones.
    make_scheme("a-ide", nom="Aa infirmiers", professions=["infirmier"])
    make_scheme("a-zone", nom="Aa zones", zone_sous_dense=True)
    chauvigny = post(cast, "86070")  # zone de vigilance: not under-served
    candidate = person(cast, "Durand")
    (match,) = matching.rank_vacancies(cast["admin"], candidate)
    assert match.vacancy == chauvigny
    assert components(match)["aide"] == (
        0,
        "« Aa zones » réservé aux zones sous-denses (Zone de vigilance) ; "
        f"« {SCHEME} » réservé aux zones sous-denses (Zone de vigilance)",
    )
    make_scheme("z-libre", nom="Zz sans condition")
    (match,) = matching.rank_vacancies(cast["admin"], candidate)
    assert components(match)["aide"] == (10, "éligible à « Zz sans condition »")


def test_a_profession_without_apl_has_an_unknown_zoning(cast, places):
    make_scheme("specialistes", nom="Aide aux spécialistes", professions=["medecin-specialiste"], zone_sous_dense=True)
    vacancy = post(cast, "86070", profession="medecin-specialiste")
    candidate = person(cast, "Spé", profession="medecin-specialiste")
    (match,) = matching.rank_vacancies(cast["admin"], candidate)
    assert match.vacancy == vacancy
    assert components(match)["aide"] == (0, "« Aide aux spécialistes » réservé aux zones sous-denses (zonage inconnu)")
    assert components(match)["attractivite"] == (5, f"maison de santé existante (BPE {places})")  # need unknown


def test_each_profession_reads_its_own_zoning_and_inactive_schemes_are_ignored(cast, places, tmp_path):
    (tmp_path / "ide.csv").write_text(
        "region;date_arrete;code_insee;profession;zone\n75;2024-03-01;86070;infirmier;tres-sous-dote\n", encoding="utf-8"
    )
    run_import("zonage", tmp_path / "ide.csv")
    make_scheme("a-ancienne", nom="A. ancienne", professions=["infirmier"], actif=False)
    vacancy = post(cast, "86070", profession="infirmier")
    candidate = person(cast, "Ide", profession="infirmier")
    (match,) = matching.rank_vacancies(cast["admin"], candidate)
    assert match.vacancy == vacancy
    assert components(match)["attractivite"] == (
        10,
        f"maison de santé existante (BPE {places}) ; Très sous-doté (zonage de l'ARS)",  # the GPs' zone is ZV
    )
    assert components(match)["aide"] == (0, "aucune aide du Département du poste")


def test_a_project_alone_makes_a_place_attractive_and_no_bpe_means_no_structure(cast, places, project):  # noqa: F811
    SupplyCount.objects.filter(commune_id="86140").delete()
    lussac = post(cast, "86140")
    candidate = person(cast, "Durand")
    zone = "Zone d'action complémentaire (ZAC) (zonage de l'ARS)"
    match = next(m for m in matching.rank_vacancies(cast["admin"], candidate) if m.vacancy == lussac)
    stage = project.get_stage_display().lower()
    assert components(match)["attractivite"] == (10, f"projet « {project.nom} » ({stage}) ; {zone}")
    SupplyCount.objects.all().delete()
    Project.objects.filter(pk=project.pk).update(stage=Stage.SUSPENDU)
    match = next(m for m in matching.rank_vacancies(cast["admin"], candidate) if m.vacancy == lussac)
    assert components(match)["attractivite"] == (5, f"pas de maison ou centre de santé ; {zone}")


def test_a_place_of_an_unknown_category_is_reached_at_the_default_speed(cast, places):
    Commune.objects.filter(pk="86194").update(categorie_aav="")
    chauvigny = post(cast, "86070")
    candidate = person(cast, "Durand", commune_reference="86194")
    (match,) = matching.rank_vacancies(cast["admin"], candidate)
    minutes = road_minutes(Commune.objects.get(pk="86194"), chauvigny.commune)
    assert components(match)["distance"] == (12.5, f"{minutes:.0f} min estimées depuis Poitiers (pas de maximum indiqué)")
    travel = load_parameters().travel
    assert "" not in travel["vitesse_kmh_par_categorie_aav"]
