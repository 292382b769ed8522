"""The état des lieux's rules one at a time: which places each territory is compared with, the run's stored aggregates
used where they exist and the communes' results where they do not, a commune counting zero professionals not being a
place where one practises, the zoning counted by zone, structures per commune, the bassins' determinants weighted by
population, and one cache entry per territory. Expected values come from the rows, counted here."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from oasis.accessibility.models import AplAggregate, AplResult
from oasis.accessibility.rows import is_under_served
from oasis.accessibility.runs import current_run
from oasis.accessibility.units import load_units, units_key
from oasis.diagnostics import services
from oasis.references.importers import run_import
from oasis.references.models import OfficialAplUnit, ReferenceImport
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes
from oasis.territories.models import BassinDeVie, Commune
from oasis.territories.services import get_territory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


@pytest.mark.parametrize(
    ("niveau", "code", "expected"),
    [
        ("commune", "86194", [("Vienne", "departement", "86"), ("Nouvelle-Aquitaine", "region", "75")]),
        ("epci", "200069854", [("Vienne", "departement", "86"), ("Nouvelle-Aquitaine", "region", "75")]),
        ("departement", "86", [("Nouvelle-Aquitaine", "region", "75")]),
        ("region", "75", []),
    ],
)
def test_each_territory_is_compared_with_its_departement_region_and_france(niveau, code, expected):
    places = services._comparison_places(get_territory(niveau, code))
    assert places == [*expected, ("France", "national", "FR")]


def test_a_departement_reads_the_runs_stored_aggregate_and_a_commune_its_own_result():
    run = current_run("generaliste")
    vienne = get_territory("departement", "86")
    stored = AplAggregate.objects.get(run=run, niveau="departement", code="86")
    rows = [
        (apl, weight, population, is_under_served(run, apl, classe))
        for apl, weight, population, classe in AplResult.objects.filter(run=run, commune__departement_id="86").values_list(
            "apl", "commune__pop_standardisee", "commune__population", "classe"
        )
    ]
    weighted = [(apl, weight or 0.0) for apl, weight, _p, _u in rows if apl is not None]
    mean = sum(apl * weight for apl, weight in weighted) / sum(weight for _a, weight in weighted)
    assert stored.apl_moyen == pytest.approx(mean)
    assert stored.population == pytest.approx(sum(p or 0.0 for _a, _w, p, _u in rows))
    assert stored.population_sous_dotee == pytest.approx(sum(p or 0.0 for _a, _w, p, under in rows if under))
    AplAggregate.objects.filter(pk=stored.pk).update(apl_moyen=9.5, population=1000.0, population_sous_dotee=250.0)
    assert services.apl_for(run, vienne) == (9.5, 1000.0, 250.0)
    poitiers = AplResult.objects.get(run=run, commune_id="86194")
    commune = Commune.objects.get(pk="86194")
    expected_under = commune.population if is_under_served(run, poitiers.apl, poitiers.classe) else 0.0
    assert services.apl_for(run, get_territory("commune", "86194")) == pytest.approx(
        (poitiers.apl, commune.population, expected_under)
    )
    assert services._apl_for_place(run, "departement", "86") == 9.5
    assert services._apl_for_place(run, "national", "FR") == pytest.approx(run.resume["apl_moyen_national"])


def test_a_commune_counting_zero_professionals_is_not_where_one_practises():
    from django.core.cache import cache

    units = load_units()
    millesime = bpe_millesimes()[0]
    services._nearest.clear()
    km, minutes = services._nearest_arrays("orthophoniste", units, millesime)
    poitiers = units.index["86194"]
    assert km[poitiers] == 0.0 and minutes[poitiers] == 0.0
    SupplyCount.objects.filter(commune_id="86194", equipement="orthophoniste", millesime=millesime).update(nombre=0)
    services._nearest.clear()
    cache.clear()  # kept per data version: a change made without an import is seen once the cache is emptied
    km, minutes = services._nearest_arrays("orthophoniste", units, millesime)
    assert km[poitiers] > 0 and minutes[poitiers] > 0
    assert km.shape == minutes.shape == (units.n,)
    # Kept for the same data: the second call returns the same arrays.
    assert services._nearest_arrays("orthophoniste", units, millesime)[0] is km


def test_the_density_of_a_place_is_its_count_per_10000_inhabitants():
    millesime = bpe_millesimes()[0]
    count = sum(
        SupplyCount.objects.filter(equipement="generaliste", millesime=millesime, commune__departement_id="86").values_list(
            "nombre", flat=True
        )
    )
    population = sum(Commune.objects.communes().filter(departement_id="86").values_list("population", flat=True))
    assert services._density("generaliste", millesime, "departement", "86") == pytest.approx(10_000 * count / population)
    # France: INSEE publishes 61,429 GPs (D201) in the BPE 2019, for the communes' population.
    france = sum(Commune.objects.communes().values_list("population", flat=True))
    assert millesime == 2019
    assert services._density("generaliste", 2019, "national", "FR") == pytest.approx(10_000 * 61_429 / france, rel=1e-9)
    assert services._density("sage-femme", 2019, "national", "FR") != services._density("generaliste", 2019, "national", "FR")
    SupplyCount.objects.filter(commune_id="86140", equipement="generaliste").delete()
    assert services._density("generaliste", millesime, "commune", "86140") == 0.0


def test_the_zoning_is_counted_by_zone_with_its_orders(tmp_path):
    assert services._zonage(get_territory("departement", "86")) == ([], "")
    header = "region;date_arrete;code_insee;profession;zone\n"
    rows = "75;2024-03-01;86070;generaliste;ZIP\n75;2024-03-01;86140;generaliste;ZIP\n75;2024-03-01;86194;generaliste;ZAC\n"
    (tmp_path / "z.csv").write_text(header + rows + "75;2024-03-01;86165;infirmier;sous-dote\n", encoding="utf-8")
    run_import("zonage", tmp_path / "z.csv")
    population = dict(Commune.objects.filter(pk__in=["86070", "86140", "86194"]).values_list("pk", "population"))
    zones, source = services._zonage(get_territory("departement", "86"))
    assert [(z.zone, z.communes, z.population) for z in zones] == [
        ("ZIP", 2, round(population["86070"] + population["86140"])),
        ("ZAC", 1, round(population["86194"])),
    ]
    assert [z.label for z in zones] == ["Zone d'intervention prioritaire (ZIP)", "Zone d'action complémentaire (ZAC)"]
    assert source == "Zonage de l'ARS, arrêté du 01/03/2024"
    # A newer order of the région replaces it (its rows are no longer active): undated here, with a commune outside
    # the territory and one without inhabitants.
    (tmp_path / "z2.csv").write_text(header + "75;2025-01-01;86165;generaliste;ZAC\n75;2025-01-01;17300;generaliste;ZIP\n")
    run_import("zonage", tmp_path / "z2.csv")
    ReferenceImport.objects.filter(date_reference=date(2025, 1, 1)).update(date_reference=None)
    Commune.objects.filter(pk="86165").update(population=0)
    zones, source = services._zonage(get_territory("departement", "86"))
    assert [(z.zone, z.communes, z.population) for z in zones] == [("ZAC", 1, 0)]
    assert source == "Zonage de l'ARS, arrêté non daté"


def test_structures_are_listed_per_commune_by_name():
    millesime = bpe_millesimes()[0]
    SupplyCount.objects.filter(commune__departement_id="86", equipement__in=["maison-de-sante", "centre-de-sante"]).delete()
    SupplyCount.objects.create(commune_id="86194", equipement="centre-de-sante", millesime=millesime, nombre=2)
    SupplyCount.objects.create(commune_id="86070", equipement="maison-de-sante", millesime=millesime, nombre=1)
    SupplyCount.objects.create(commune_id="86070", equipement="centre-de-sante", millesime=millesime, nombre=1)
    SupplyCount.objects.create(commune_id="86140", equipement="maison-de-sante", millesime=millesime - 1, nombre=1)
    SupplyCount.objects.create(commune_id="86066", equipement="maison-de-sante", millesime=millesime, nombre=3)
    assert Commune.objects.get(pk="86066").nom == "Châtellerault"  # after Chauvigny by name, before it by code
    assert services._structure_communes(get_territory("departement", "86"), millesime) == [
        ("86070", "Chauvigny", 1, 1),
        ("86066", "Châtellerault", 3, 0),
        ("86194", "Poitiers", 0, 2),
    ]


def test_the_bassins_determinants_are_weighted_by_the_communes_population():
    territory = get_territory("epci", "200069854")
    weights: dict[str, float] = {}
    for bassin, population in territory.communes().exclude(bassin_de_vie=None).values_list("bassin_de_vie_id", "population"):
        weights[bassin] = weights.get(bassin, 0.0) + population
    bassins = {b.code: b for b in BassinDeVie.objects.filter(code__in=weights)}
    known = [(bassins[c].taux_pauvrete_2021, w) for c, w in weights.items() if bassins[c].taux_pauvrete_2021 is not None]
    social = services._social(territory)
    assert len(weights) >= 2  # the example discriminates a plain mean from a weighted one
    assert social.taux_pauvrete == pytest.approx(sum(v * w for v, w in known) / sum(w for _v, w in known))
    for field_name, value in [
        ("part_75_ans_et_plus_2022", social.part_75_ans_et_plus),
        ("niveau_vie_median_2021", social.niveau_vie_median),
    ]:
        pairs = [(getattr(bassins[c], field_name), w) for c, w in weights.items() if getattr(bassins[c], field_name) is not None]
        assert value == pytest.approx(sum(v * w for v, w in pairs) / sum(w for _v, w in pairs))
    assert len(services._social(get_territory("departement", "86")).bassins) == 8  # the eight largest of more
    assert social.bassins[0] == bassins[max(weights, key=lambda c: weights[c])].nom
    assert len(social.bassins) == min(8, len(weights))


def test_each_territory_has_its_own_cached_diagnosis():
    vienne = services.cached_diagnosis(get_territory("departement", "86"))
    creuse = services.cached_diagnosis(get_territory("departement", "23"))
    assert (vienne.territory.code, creuse.territory.code) == ("86", "23")
    assert services.cached_diagnosis(get_territory("departement", "86")).generated_at == vienne.generated_at  # kept
    assert not np.isclose(vienne.demography.population, creuse.demography.population)


def test_each_professions_figures_for_the_vienne():
    """Counts and densities from the BPE rows, the APL from the run's aggregate, shares from the run's populations,
    ages from the active practitioner import only, the official APL of the Vienne and of its comparison places."""
    from oasis.accessibility.models import Practitioner, PractitionerImport
    from oasis.references.services import territory_official_apl

    active = PractitionerImport.objects.create(fichier="a.csv", sha256="a", profession="generaliste", millesime=2023, lignes=5)
    for commune, age in [("86194", 59), ("86194", 60), ("86070", 61), ("86070", None), ("23096", 70)]:
        Practitioner.objects.create(source=active, commune_id=commune, actes=4000, age=age)
    old = PractitionerImport.objects.create(
        fichier="b.csv", sha256="b", profession="generaliste", millesime=2020, lignes=1, active=False
    )
    Practitioner.objects.create(source=old, commune_id="86194", actes=4000, age=80)
    vienne = get_territory("departement", "86")
    diagnosis = services.build_diagnosis(vienne)
    population = sum(Commune.objects.filter(departement_id="86").values_list("population", flat=True))
    assert diagnosis.demography.population == population
    assert [p.equipement.value for p in diagnosis.professions][:2] == ["generaliste", "chirurgien-dentiste"]
    for row in diagnosis.professions:
        profession = row.equipement.value
        nombre = sum(
            SupplyCount.objects.filter(equipement=profession, millesime=2019, commune__departement_id="86").values_list(
                "nombre", flat=True
            )
        )
        assert row.nombre == nombre
        assert row.pour_10000 == pytest.approx(10_000 * nombre / population)
        run = current_run(profession, "ensemble")
        stored = AplAggregate.objects.get(run=run, niveau="departement", code="86")
        assert (row.run, row.apl, row.population_sous_dotee) == (run, stored.apl_moyen, stored.population_sous_dotee)
        assert row.part_sous_dotee == pytest.approx(stored.population_sous_dotee / stored.population)
        assert row.unite == run.resume["unite"] and row.unite
        assert row.officiel == territory_official_apl(vienne, profession)
        if row.officiel is not None:
            assert row.officiel_comparaisons == [
                territory_official_apl(get_territory("region", "75"), profession),
                territory_official_apl(None, profession),
            ]
        else:
            assert row.officiel_comparaisons == []
        assert [c.label for c in row.comparisons] == ["Nouvelle-Aquitaine", "France"]
        assert row.comparisons[0].apl == AplAggregate.objects.get(run=run, niveau="region", code="75").apl_moyen
    assert any(row.officiel is None for row in diagnosis.professions)  # both branches above are taken
    generaliste = diagnosis.professions[0]
    assert generaliste.officiel is not None and generaliste.apl is not None
    assert (generaliste.ages_connus, generaliste.part_60_ans_et_plus) == (True, pytest.approx(2 / 3))
    assert (diagnosis.professions[1].ages_connus, diagnosis.professions[1].part_60_ans_et_plus) == (False, None)
    assert diagnosis.notes == []
    # The least served communes are the lowest official APLs (the DREES's, imported), lowest first, with the estimate.
    official = OfficialAplUnit.objects.filter(profession="generaliste", commune__departement_id="86", apl__isnull=False)
    lowest = list(official.order_by("apl", "commune_id").values_list("commune_id", "apl")[: services.UNDER_SERVED_LISTED])
    assert [(row.code_insee, row.apl_officielle) for row in diagnosis.least_served] == lowest
    estimates = dict(AplResult.objects.filter(run=generaliste.run).values_list("commune_id", "apl"))
    assert [row.apl_estimee for row in diagnosis.least_served] == [estimates.get(code) for code, _ in lowest]
    assert len(diagnosis.gp_rows) == Commune.objects.units().filter(departement_id="86").count()


def test_a_commune_without_any_professional_counts_zero_of_each():
    SupplyCount.objects.filter(commune_id="86140").delete()
    diagnosis = services.build_diagnosis(get_territory("commune", "86140"))
    assert [(row.nombre, row.pour_10000) for row in diagnosis.professions] == [(0, 0.0)] * len(diagnosis.professions)
    assert diagnosis.structures == {"maison-de-sante": 0, "centre-de-sante": 0}
    assert diagnosis.structure_communes == []


def test_a_commune_without_inhabitants_has_no_density_share_nor_distance():
    """Beaumont-en-Verdunois, one of the Meuse's villages destroyed in 1916, counts no inhabitant: every figure per
    inhabitant is unknown, not a division by zero."""
    village = Commune.objects.get(pk="55039")
    assert (village.population, village.pop_totale_drees) == (0, 0.0)
    diagnosis = services.build_diagnosis(get_territory("commune", "55039"))
    assert diagnosis.demography.population == 0
    for row in diagnosis.professions:
        assert (row.pour_10000, row.part_sous_dotee) == (None, None)
        assert (row.distance_km, row.temps_min, row.part_plus_de_20_min) == (None, None, None)
    assert village.bassin_de_vie_id is not None  # Verdun's: its determinants weigh nobody here
    social = diagnosis.social
    assert (social.part_75_ans_et_plus, social.taux_pauvrete, social.niveau_vie_median) == (None, None, None)
    assert services._density("generaliste", bpe_millesimes()[0], "commune", "55039") is None


def test_a_run_recorded_without_its_unit_shows_none():
    run = current_run("generaliste", "ensemble")
    run.resume.pop("unite")
    run.save(update_fields=["resume"])
    diagnosis = services.build_diagnosis(get_territory("commune", "86140"))
    assert diagnosis.professions[0].unite == ""


def test_the_report_names_the_imported_structures_zoning_and_parameters(tmp_path):
    from oasis.accessibility.params import DEFAULT_PARAMETERS
    from tests.references.conftest import finess_sample_with, finess_structure_line

    finess = finess_sample_with(
        tmp_path,
        finess_structure_line("860000001", "603", "86", "140", "MSP de Lussac-les-Châteaux", "2019-09-02"),
        finess_structure_line("860000002", "124", "86", "194", "Centre de santé de Poitiers", "2021-01-04"),
        finess_structure_line("170000001", "603", "17", "300", "MSP de La Rochelle", "2020-01-06"),
    )
    run_import("finess", finess)
    (tmp_path / "z.csv").write_text("region;date_arrete;code_insee;profession;zone\n75;2024-03-01;86140;generaliste;ZIP\n")
    run_import("zonage", tmp_path / "z.csv")
    diagnosis = services.build_diagnosis(get_territory("departement", "86"))
    # Ordered by commune: Lussac-les-Châteaux before Poitiers; La Rochelle is not in the Vienne.
    assert [(s.nom, s.commune_id) for s in diagnosis.finess] == [
        ("MSP DE LUSSAC-LES-CHÂTEAUX", "86140"),
        ("CENTRE DE SANTÉ DE POITIERS", "86194"),
    ]
    assert diagnosis.finess_source == "FINESS, extraction du 12/05/2026"
    assert [(z.zone, z.communes) for z in diagnosis.zonage] == [("ZIP", 1)]
    assert diagnosis.zonage_source == "Zonage de l'ARS, arrêté du 01/03/2024"
    assert diagnosis.parameters_version == json.loads(DEFAULT_PARAMETERS.read_text(encoding="utf-8"))["version"] != ""


def test_communes_of_three_regions_name_their_zoning_orders_oldest_first_and_the_undated_last(tmp_path):
    header = "region;date_arrete;code_insee;profession;zone\n"
    (tmp_path / "na.csv").write_text(header + "75;2024-03-01;86140;generaliste;ZIP\n")
    (tmp_path / "cvl.csv").write_text(header + "24;2023-05-02;37261;generaliste;ZAC\n")
    (tmp_path / "pdl.csv").write_text(header + "52;2022-01-01;44109;generaliste;ZAC\n")
    for name in ("na.csv", "cvl.csv", "pdl.csv"):
        run_import("zonage", tmp_path / name)
    ReferenceImport.objects.filter(date_reference=date(2022, 1, 1)).update(date_reference=None)
    zones, source = services._zonage(get_territory("set", "86140,37261,44109"))
    assert [(z.zone, z.communes) for z in zones] == [("ZIP", 1), ("ZAC", 2)]
    assert source == "Zonage de l'ARS, arrêté du 02/05/2023, arrêté du 01/03/2024, arrêté non daté"


def test_the_whole_report_is_wired_to_its_sources():
    """Every part of the report for the Vienne comes from the function or rows that own it, for this territory."""
    from oasis.references.services import latest_finess, named_structures, official_unit_values
    from oasis.supply.services import cnam_control_totals

    vienne = get_territory("departement", "86")
    diagnosis = services.build_diagnosis(vienne)
    assert diagnosis.bpe_millesime == 2019 and diagnosis.generated_at is not None
    assert [p.code for p in diagnosis.parents] == ["75"]
    assert diagnosis.structure_communes == services._structure_communes(vienne, 2019) != []
    assert (diagnosis.zonage, diagnosis.zonage_source) == services._zonage(vienne)
    assert diagnosis.notes == [
        "L'âge des professionnels n'est pas connu dans les données ouvertes chargées (BPE) : "
        "importez l'activité par praticien pour afficher leur vieillissement."
    ]
    totals = cnam_control_totals(vienne)
    assert diagnosis.cnam == {t.equipement.value: t for t in totals} != {}
    assert diagnosis.cnam != {t.equipement.value: t for t in cnam_control_totals(None)}
    finess = latest_finess()
    assert diagnosis.finess_source == (f"FINESS, {finess.millesime}" if finess else "")
    assert [s.pk for s in diagnosis.finess] == ([s.pk for s in named_structures(vienne)] if finess else [])
    generaliste = diagnosis.professions[0]
    assert generaliste.officiel is not None
    official = official_unit_values("generaliste", generaliste.officiel.annee, [row.code_insee for row in diagnosis.gp_rows])
    lowest = sorted((values[0], code) for code, values in official.items() if values[0] is not None)[:10]
    assert [(row.apl_officielle, row.code_insee) for row in diagnosis.least_served] == lowest
    assert all(row.verdict.code_insee == row.code_insee for row in diagnosis.least_served)
    for row in diagnosis.professions:
        assert [c.pour_10000 for c in row.comparisons] == [
            services._density(row.equipement.value, 2019, "region", "75"),
            services._density(row.equipement.value, 2019, "national", "FR"),
        ]


def test_aggregates_are_read_at_their_level_whatever_their_code():
    """Code 75 is both the Nouvelle-Aquitaine région and Paris: each level reads its own stored figure."""
    run = current_run("generaliste")
    AplAggregate.objects.filter(run=run, niveau="region", code="75").update(
        apl_moyen=1.25, population=4.0, population_sous_dotee=1.0
    )
    AplAggregate.objects.filter(run=run, niveau="departement", code="75").update(apl_moyen=7.5)
    AplAggregate.objects.filter(run=run, niveau="epci", code="200069854").update(
        apl_moyen=3.5, population=2.0, population_sous_dotee=0.0
    )
    assert services.apl_for(run, get_territory("region", "75")) == (1.25, 4.0, 1.0)
    assert services.apl_for(run, get_territory("epci", "200069854")) == (3.5, 2.0, 0.0)
    assert services._apl_for_place(run, "region", "75") == 1.25
    assert services._apl_for_place(run, "departement", "75") == 7.5


def test_oasis_precalculer_keeps_the_figures_of_every_compared_place_in_the_shared_files(settings, tmp_path):
    """What the état des lieux of any EPCI or commune reads besides its own communes is kept beforehand: a page on a
    process just started only reads it. The Vienne's GP density, counted here from the rows."""
    from oasis.datasets import precomputed
    from oasis.datasets.fingerprint import version
    from oasis.territories.models import Departement, Region

    settings.OASIS_PRECALCULS_DIR = tmp_path / "precalculs"
    millesime = bpe_millesimes()[0]
    places = services.keep_national_figures("generaliste")
    assert places == 1 + Region.objects.count() + Departement.objects.count()
    current = version()

    def read(key: str) -> object:
        return precomputed.read(key, current)

    vienne = list(Commune.objects.communes().filter(departement_id="86").values_list("population", flat=True))
    count = sum(
        SupplyCount.objects.filter(equipement="generaliste", millesime=millesime, commune__departement_id="86").values_list(
            "nombre", flat=True
        )
    )
    assert read(f"densite:generaliste:{millesime}:departement:86") == pytest.approx(10_000 * count / sum(vienne))
    run = current_run("generaliste")
    stored = AplAggregate.objects.get(run=run, niveau="departement", code="86").apl_moyen
    assert read(f"apl-lieux:{run.pk}")[("departement", "86")] == stored  # type: ignore[index]
    km, minutes = read(f"plus-proche:generaliste:{millesime}")  # type: ignore[misc]
    units = load_units()
    assert len(km) == len(minutes) == units.n
    assert read(units_key(units.fingerprint)).codes == units.codes  # type: ignore[attr-defined]
    for niveau, code in (("national", "FR"), ("region", "75"), ("departement", "976")):
        assert read(f"densite:generaliste:{millesime}:{niveau}:{code}") is not precomputed.MISSING
        assert read(f"apl-officielle-lieu:generaliste:{niveau}:{code}") is not precomputed.MISSING
    # The état des lieux of a commune of the Vienne compares with exactly these figures.
    diagnosis = services.build_diagnosis(get_territory("commune", "86122"))
    gp = diagnosis.professions[0]
    assert gp.comparisons[0].pour_10000 == read(f"densite:generaliste:{millesime}:departement:86")
    assert gp.comparisons[0].apl == stored
