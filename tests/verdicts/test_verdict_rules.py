"""The verdict's rules where they can break: each threshold at, just under and just over its value on each path (ARS
order, official APL, estimate), rows kept as history never acting, and what the verdict says, field by field.

Expected values are written out from the rule (art. L.1434-4 CSP, the national GP rule, the estimate's threshold of the
parameters), not read back from the service.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oasis.accessibility.models import AplRun
from oasis.accessibility.runs import current_run
from oasis.references.enums import ReferenceKind
from oasis.references.models import OfficialAplUnit, ReferenceImport, ZonageCommune
from oasis.territories.models import Commune
from oasis.verdicts import services
from oasis.verdicts.services import (
    Verdict,
    changes,
    counts,
    departement_shares,
    map_properties,
    territory_verdicts,
    verdict,
    verdicts,
)

ANTRAN, LOUDUN, POITIERS = "86007", "86137", "86194"
KINE = "masseur-kinesitherapeute"
NO_FIGURE = "ni arrêté de l'ARS ni APL officielle de la DREES pour cette commune"
pytestmark = pytest.mark.django_db
NO_ORDER = "aucun arrêté de l'ARS pour cette commune (la DREES ne publie pas de règle nationale pour cette profession)"


def make(**fields: object) -> Verdict:
    given: dict[str, object] = {
        "code_insee": LOUDUN,
        "profession": "generaliste",
        "sous_dense": None,
        "zone": None,
        "source": "estimation",
        "millesime": "2026-12-01",
        "valeur": None,
        "seuil": None,
        "libelle": "",
    }
    return Verdict(**(given | fields))  # type: ignore[arg-type]


# --- What a verdict says (no database) --------------------------------------------------------------------------------


def test_an_order_s_verdict_in_words():
    zip_ = make(sous_dense=True, zone="ZIP", source="arrete-ars", millesime="2024-03-01")
    assert zip_.zone_libelle == "Zone d'intervention prioritaire (ZIP)"
    assert zip_.resume == "Zone d'intervention prioritaire (ZIP) (zonage de l'ARS)"
    assert (zip_.etat, zip_.officiel, zip_.source_libelle) == ("sous-dense", True, "arrêté de zonage de l'ARS")
    hv = make(sous_dense=False, zone="HV", source="arrete-ars")
    assert (hv.zone_libelle, hv.resume, hv.etat) == ("Hors vivier", "Hors vivier (zonage de l'ARS)", "non sous-dense")
    kine = make(sous_dense=True, zone="sous-dote", source="arrete-ars")
    assert (kine.zone_libelle, kine.resume) == ("Sous-doté", "Sous-doté (zonage de l'ARS)")


def test_the_official_apl_s_verdict_in_words():
    vivier = make(zone="vivier", source="apl-drees", millesime="2022", valeur=3.2, seuil=4.0)
    assert vivier.zone_libelle == "Vivier (ZIP ou ZAC selon l'ARS) (règle nationale, APL DREES 2022)"
    assert vivier.resume == "Vivier (ZIP ou ZAC selon l'ARS) (APL officielle DREES 2022 : 3,20 chez les 65 ans et moins)"
    assert (vivier.etat, vivier.officiel, vivier.source_libelle) == (
        "à décider par l'ARS (vivier)",
        True,
        "APL officielle de la DREES",
    )
    selected = make(sous_dense=True, zone="selection-nationale", source="apl-drees", millesime="2023", valeur=2.346)
    assert selected.zone_libelle == "Sélection nationale (ZIP) (règle nationale, APL DREES 2023)"
    assert selected.resume == "Sélection nationale (ZIP) (APL officielle DREES 2023 : 2,35 chez les 65 ans et moins)"
    assert selected.etat == "sous-dense"
    outside = make(sous_dense=False, zone="hors-vivier", source="apl-drees", millesime="2022", valeur=4.0)
    assert outside.resume == "Hors vivier (APL officielle DREES 2022 : 4,00 chez les 65 ans et moins)"
    assert outside.etat == "non sous-dense"
    # Without a class or a value, the official path still says which rule and which vintage.
    bare = make(source="apl-drees", millesime="2022")
    assert bare.resume == "Vivier (ZIP ou ZAC selon l'ARS) (APL officielle DREES 2022 : — chez les 65 ans et moins)"
    assert bare.etat == "sous-densité inconnue"


def test_the_estimate_s_verdict_in_words():
    under = make(sous_dense=True, valeur=2.244)
    assert under.zone_libelle == "sous-dense (estimation OASIS)"
    assert under.resume == "APL estimée 2,24 : commune sous-dotée (estimation OASIS, ni arrêté ni APL officielle)"
    assert (under.etat, under.officiel, under.source_libelle) == ("sous-dense", False, "estimation OASIS")
    over = make(sous_dense=False, valeur=3.1)
    assert over.zone_libelle == "non sous-dense (estimation OASIS)"
    assert over.resume == "APL estimée 3,10 : commune non sous-dotée (estimation OASIS, ni arrêté ni APL officielle)"
    assert over.etat == "non sous-dense"
    unknown = make()
    assert (unknown.zone_libelle, unknown.resume, unknown.etat) == (
        "sous-densité inconnue",
        "sous-densité inconnue (estimation OASIS)",
        "sous-densité inconnue",
    )


def test_the_api_fields():
    item = make(sous_dense=True, zone="ZAC", source="arrete-ars", millesime="2024-03-01", libelle="dit")
    expected = {
        "code_insee": LOUDUN,
        "nom": "",
        "sous_dense": True,
        "zone": "ZAC",
        "source": "arrete-ars",
        "millesime": "2024-03-01",
        "valeur": None,
        "seuil": None,
        "libelle": "dit",
    }
    assert item.as_dict() == expected
    assert item.as_dict("Loudun") == expected | {"nom": "Loudun"}


def test_counts_by_verdict_written_out():
    found = {
        "a": make(source="estimation", sous_dense=False),
        "b": make(source="apl-drees", zone="vivier"),
        "c": make(source="arrete-ars", zone="ZIP", sous_dense=True),
        "d": make(source="estimation", sous_dense=True),
        "e": make(source="apl-drees", zone="selection-nationale", sous_dense=True),
    }
    population = {"a": None, "b": 50.0, "c": 100.0, "d": 0.5}  # "e" has none
    result = counts(found, population)
    assert result.population_sous_dense == 100.5 and isinstance(result.population_sous_dense, float)
    assert result.population_vivier == 50.0 and isinstance(result.population_vivier, float)
    assert result.population == 150.5 and isinstance(result.population, float)
    assert (result.communes_sous_denses, result.communes) == (3, 5)
    assert result.sources == {"estimation": 2, "apl-drees": 2, "arrete-ars": 1}
    assert result.officiel is True
    assert result.part_sous_dense == pytest.approx(100.5 / 150.5)
    # Listed in the order of the sources, whatever order the communes came in; one commune is singular.
    assert result.source_libelle == (
        "arrêté de zonage de l'ARS (1 commune), APL officielle de la DREES (2 communes), estimation OASIS (2 communes)"
    )
    estimated = counts({"a": make(sous_dense=True)}, {"a": 0.0})
    assert (estimated.officiel, estimated.part_sous_dense, estimated.source_libelle) == (
        False,
        None,
        "estimation OASIS (1 commune)",
    )
    assert counts({}, {}).sources == {}


def test_vivier_communes_without_a_population_count_no_inhabitant():
    # Unknown (None), nil, and missing from the figures: none of the three adds anybody to the vivier's population.
    found = {code: make(source="apl-drees", zone="vivier") for code in ("b", "n", "z", "m")}
    result = counts(found, {"b": 50.0, "n": None, "z": 0.0})
    assert (result.population_vivier, result.population) == (50.0, 50.0)
    assert (result.population_sous_dense, result.communes_sous_denses, result.communes) == (0.0, 0, 4)


# --- The ARS order (database) ----------------------------------------------------------------------------------------


def order(when: date | None, rows: dict[str, str], profession: str = "generaliste", *, actif: bool = True) -> None:
    reference = ReferenceImport.objects.create(
        kind=ReferenceKind.ZONAGE, fichier="zonage.csv", sha256=str(when) * 6, source="ARS", millesime="", date_reference=when
    )
    for code, zone in rows.items():
        ZonageCommune.objects.create(reference=reference, commune_id=code, profession=profession, zone=zone, actif=actif)


@pytest.mark.parametrize(
    ("profession", "zone", "label", "under"),
    [
        ("generaliste", "ZIP", "Zone d'intervention prioritaire (ZIP)", True),
        ("generaliste", "ZAC", "Zone d'action complémentaire (ZAC)", True),
        ("generaliste", "ZV", "Zone de vigilance", False),
        ("generaliste", "HV", "Hors vivier", False),
        ("generaliste", "HZ", "Hors zonage", False),
        (KINE, "tres-sous-dote", "Très sous-doté", True),
        (KINE, "sous-dote", "Sous-doté", True),
        (KINE, "intermediaire", "Intermédiaire", False),
        (KINE, "tres-dote", "Très doté", False),
        (KINE, "sur-dote", "Sur-doté", False),
    ],
)
def test_each_zone_of_an_order_on_either_side(national, profession, zone, label, under):
    order(date(2024, 3, 1), {LOUDUN: zone}, profession)
    item = verdict(LOUDUN, profession)
    said = "commune sous-dense" if under else "commune non sous-dense"
    assert item == Verdict(
        code_insee=LOUDUN,
        profession=profession,
        sous_dense=under,
        zone=zone,
        source="arrete-ars",
        millesime="2024-03-01",
        valeur=None,
        seuil=None,
        libelle=f"{label} — arrêté de l'ARS du 01/03/2024 : {said}",
    )


def test_an_undated_order(national):
    order(None, {LOUDUN: "ZV"})
    item = verdict(LOUDUN)
    assert (item.millesime, item.sous_dense) == ("", False)
    assert item.libelle == "Zone de vigilance — arrêté de l'ARS (non daté) : commune non sous-dense"


def test_a_row_kept_as_history_never_acts_even_when_dated_later(national):
    order(date(2024, 3, 1), {LOUDUN: "HZ"})
    order(date(2025, 6, 1), {LOUDUN: "ZIP", ANTRAN: "ZIP"}, actif=False)  # an order replaced, or imported late
    order(date(2025, 6, 1), {POITIERS: "ZIP"}, KINE, actif=False)
    loudun, antran = verdict(LOUDUN), verdict(ANTRAN)
    assert (loudun.source, loudun.zone, loudun.sous_dense, loudun.millesime) == ("arrete-ars", "HZ", False, "2024-03-01")
    # Without an order in force, the official APL decides (Antran: hors vivier), as if the history were not there.
    assert (antran.source, antran.zone, antran.sous_dense) == ("apl-drees", "hors-vivier", False)
    assert verdict(POITIERS, KINE).source == "estimation"
    assert verdicts(None)[ANTRAN].source == "apl-drees"


def test_an_order_of_another_profession_does_not_act(national):
    order(date(2024, 3, 1), {LOUDUN: "sous-dote"}, KINE)
    assert verdict(LOUDUN).source == "apl-drees"
    order(date(2024, 3, 1), {ANTRAN: "ZIP"})
    assert verdict(ANTRAN, KINE).source == "estimation"


# --- The official APL ------------------------------------------------------------------------------------------------


def _set_under_65(code: str, value: float | None, year: int = 2022) -> None:
    OfficialAplUnit.objects.filter(profession="generaliste", annee=year, commune_id=code).update(apl_moins_65=value)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (2.49, "APL officielle DREES 2022 : 2,49 (65 ans et moins) < 2,5 : sélection nationale"),
        (
            2.5,
            "APL officielle DREES 2022 : 2,50 (65 ans et moins), de 2,5 à moins de 4,0 : vivier — l'ARS décide : classée "
            "en ZIP ou en ZAC, la commune ouvre droit aux aides ; sinon, non",
        ),
        (
            3.99,
            "APL officielle DREES 2022 : 3,99 (65 ans et moins), de 2,5 à moins de 4,0 : vivier — l'ARS décide : classée "
            "en ZIP ou en ZAC, la commune ouvre droit aux aides ; sinon, non",
        ),
        (4.0, "APL officielle DREES 2022 : 4,00 (65 ans et moins) ≥ 4,0 : hors vivier"),
    ],
)
def test_what_the_official_path_says_at_each_threshold(national, value, said):
    _set_under_65(LOUDUN, value)
    item = verdict(LOUDUN)
    assert item.libelle == f"{said} — en attendant l'arrêté de l'ARS"
    assert (item.code_insee, item.profession, item.source, item.millesime) == (LOUDUN, "generaliste", "apl-drees", "2022")


@pytest.mark.parametrize("value", [None, float("nan"), float("inf")])
def test_an_unknown_official_value_leaves_the_estimate_to_decide(national, value):
    _set_under_65(LOUDUN, value)
    item = verdict(LOUDUN)
    assert (item.source, item.zone) == ("estimation", None)
    assert item.libelle.startswith(f"Estimation OASIS ({NO_FIGURE}) : APL estimée ")


def test_an_older_vintage_never_acts_once_a_newer_one_is_imported(national):
    reference = ReferenceImport.objects.create(
        kind=ReferenceKind.DREES_APL, fichier="apl_2021.xlsx", sha256="1" * 64, source="DREES", millesime="2021"
    )
    # The 2021 vintage, imported after 2022, holds Antran as sélection nationale: it is history, 2022 decides.
    OfficialAplUnit.objects.create(reference=reference, profession="generaliste", annee=2021, commune_id=ANTRAN, apl_moins_65=1.0)
    assert (verdict(ANTRAN).millesime, verdict(ANTRAN).zone) == ("2022", "hors-vivier")
    # A newer vintage without Loudun: Loudun's 2022 value is history, the estimate decides.
    newer = ReferenceImport.objects.create(
        kind=ReferenceKind.DREES_APL, fichier="apl_2023.xlsx", sha256="2" * 64, source="DREES", millesime="2023"
    )
    OfficialAplUnit.objects.create(reference=newer, profession="generaliste", annee=2023, commune_id=ANTRAN, apl_moins_65=2.0)
    assert (verdict(ANTRAN).millesime, verdict(ANTRAN).zone, verdict(ANTRAN).sous_dense) == ("2023", "selection-nationale", True)
    assert verdict(LOUDUN).source == "estimation"
    # The newer vintage withdrawn (its import deleted): the 2022 vintage acts again.
    newer.delete()
    assert (verdict(LOUDUN).source, verdict(LOUDUN).millesime) == ("apl-drees", "2022")
    assert (verdict(ANTRAN).millesime, verdict(ANTRAN).zone) == ("2022", "hors-vivier")


def test_no_national_rule_on_the_apl_of_other_professions(national):
    reference = ReferenceImport.objects.create(
        kind=ReferenceKind.DREES_APL, fichier="apl.xlsx", sha256="3" * 64, source="DREES", millesime="2022"
    )
    OfficialAplUnit.objects.create(reference=reference, profession=KINE, annee=2022, commune_id=LOUDUN, apl_moins_65=5.0)
    item = verdict(LOUDUN, KINE)
    assert (item.source, item.zone) == ("estimation", None)
    assert item.libelle.startswith(f"Estimation OASIS ({NO_ORDER}) : ")
    # Nor does the kinés' APL of the same year touch the GPs' verdict (Loudun: 2,35, sélection nationale).
    gp = verdict(LOUDUN)
    assert (gp.zone, gp.valeur) == ("selection-nationale", pytest.approx(2.346, abs=0.001))


# --- The estimate ----------------------------------------------------------------------------------------------------


def _estimate(code: str, apl: float | None, classe: int | None = None) -> AplRun:
    """No official figure for the commune, and the current run's estimate set to ``apl``."""
    OfficialAplUnit.objects.filter(commune_id=code).delete()
    run = current_run("generaliste")
    run.results.filter(commune_id=code).update(apl=apl, classe=classe)
    return run


@pytest.mark.parametrize(
    ("apl", "under", "said"),
    [
        (2.49, True, "APL estimée 2,49 < 2,5 : sous-dense"),
        (2.4999, True, "APL estimée 2,50 < 2,5 : sous-dense"),
        (2.5, False, "APL estimée 2,50 ≥ 2,5 : non sous-dense"),
        (2.5001, False, "APL estimée 2,50 ≥ 2,5 : non sous-dense"),
        (2.51, False, "APL estimée 2,51 ≥ 2,5 : non sous-dense"),
    ],
)
def test_the_estimate_s_threshold_at_under_and_over(national, apl, under, said):
    run = _estimate(ANTRAN, apl)
    assert run.resume["seuil_sous_dense"] == 2.5
    assert verdict(ANTRAN) == Verdict(
        code_insee=ANTRAN,
        profession="generaliste",
        sous_dense=under,
        zone=None,
        source="estimation",
        millesime=run.created_at.date().isoformat(),
        valeur=apl,
        seuil=2.5,
        libelle=f"Estimation OASIS ({NO_FIGURE}) : {said}",
    )


@pytest.mark.parametrize(
    ("classe", "under", "said"),
    [
        (0, True, "APL estimée 1,2, classe 1 sur 5 : sous-dotée (deux premières classes)"),
        (1, True, "APL estimée 1,2, classe 2 sur 5 : sous-dotée (deux premières classes)"),
        (2, False, "APL estimée 1,2, classe 3 sur 5 : non sous-dotée (deux premières classes)"),
        (None, False, "APL estimée 1,2, sans classe : non sous-dotée (deux premières classes)"),
    ],
)
def test_an_estimate_without_threshold_goes_by_its_class(national, classe, under, said):
    run = _estimate(ANTRAN, 1.2, classe)
    AplRun.objects.filter(pk=run.pk).update(resume={key: value for key, value in run.resume.items() if key != "seuil_sous_dense"})
    item = verdict(ANTRAN)
    assert (item.sous_dense, item.seuil, item.valeur) == (under, None, 1.2)
    assert item.libelle == f"Estimation OASIS ({NO_FIGURE}) : {said}"


def test_an_estimate_without_value(national):
    # Mayotte has no APL (the DREES publishes none, and the estimate has no travel times there).
    mayotte = Commune.objects.units().filter(departement_id="976").order_by("code_insee")
    mamoudzou = mayotte.values_list("code_insee", flat=True)[0]
    run = current_run("generaliste")
    for item in verdicts([mamoudzou, "99999"]).values():
        assert (item.sous_dense, item.valeur, item.seuil, item.zone) == (None, None, 2.5, None)
        assert item.libelle == f"Estimation OASIS ({NO_FIGURE}) : APL estimée inconnue : sous-densité inconnue"
        assert item.millesime == run.created_at.date().isoformat()


def test_other_professions_say_why_the_estimate_decides_by_its_classes(national):
    run = current_run(KINE)
    assert run.resume.get("seuil_sous_dense") is None  # no threshold published: the two lowest classes
    apl, classe = run.results.filter(commune_id=LOUDUN).values_list("apl", "classe").get()
    item = verdict(LOUDUN, KINE)
    assert item.sous_dense is (classe <= 1)
    place = f"classe {classe + 1} sur 5"
    said = "sous-dotée" if classe <= 1 else "non sous-dotée"
    shown = f"{apl:.1f}".replace(".", ",")
    assert item.libelle == f"Estimation OASIS ({NO_ORDER}) : APL estimée {shown}, {place} : {said} (deux premières classes)"


# --- Lists, France, territories --------------------------------------------------------------------------------------


def test_a_long_list_asked_in_chunks_gives_the_same_verdicts(national, monkeypatch):
    order(date(2024, 3, 1), {POITIERS: "ZAC"})
    codes = list(Commune.objects.units().filter(departement_id="86").order_by("code_insee").values_list("code_insee", flat=True))[
        :7
    ]
    codes += [POITIERS, LOUDUN, "99999"]
    whole = verdicts(codes)
    monkeypatch.setattr(services, "CHUNK", 2)
    with CaptureQueriesContext(connection) as by_two:
        chunked = verdicts(codes)
    assert chunked == whole and list(chunked) == codes
    assert {item.source for item in chunked.values()} == {"arrete-ars", "apl-drees", "estimation"}
    # Chunks of two take fewer queries than chunks of one: each chunk is one query per source.
    monkeypatch.setattr(services, "CHUNK", 1)
    with CaptureQueriesContext(connection) as by_one:
        assert verdicts(codes) == whole
    assert len(by_one) > len(by_two)


def test_france_s_verdicts_take_each_source_in_turn(national):
    order(date(2024, 3, 1), {LOUDUN: "HZ"})
    OfficialAplUnit.objects.filter(commune_id=ANTRAN).delete()
    found = verdicts(None)
    run = current_run("generaliste")
    assert set(found) == set(run.results.values_list("commune_id", flat=True))
    assert (found[LOUDUN].source, found[LOUDUN].zone) == ("arrete-ars", "HZ")
    assert found[POITIERS].source == "apl-drees" and found[ANTRAN].source == "estimation"
    assert territory_verdicts(None) == found


def test_the_map_s_properties(national):
    found = map_properties("86")
    assert len(found) == 265
    assert found[LOUDUN] == {
        "sous_dense": True,
        "vivier": False,
        "verdict": "sous-dense",
        "verdict_zone": "Sélection nationale (ZIP) (règle nationale, APL DREES 2022)",
        "verdict_source": "apl-drees",
        "verdict_libelle": verdict(LOUDUN).libelle,
    }
    vivier = [code for code, item in found.items() if item["vivier"]]
    assert vivier and all(found[code]["sous_dense"] is None for code in vivier)
    assert all(found[code]["verdict"] == "à décider par l'ARS (vivier)" for code in vivier)


def test_each_departement_s_share_sous_dense(national):
    shares = departement_shares()
    vienne = verdicts(
        Commune.objects.units().filter(departement_id="86").values_list("code_insee", flat=True)  # type: ignore[arg-type]
    )
    population = dict(Commune.objects.units().filter(departement_id="86").values_list("code_insee", "population"))
    under = sum(population[code] or 0.0 for code, item in vienne.items() if item.sous_dense is True)
    assert 0 < under < sum(value or 0.0 for value in population.values())
    assert shares["86"] == pytest.approx(under / sum(value or 0.0 for value in population.values()))
    # Every département but Mayotte, which has no APL.
    assert "976" not in shares
    assert set(shares) | {"976"} == set(Commune.objects.units().values_list("departement_id", flat=True))


def test_changes_between_two_snapshots(national):
    loudun = Commune.objects.get(code_insee=LOUDUN).population
    poitiers = Commune.objects.get(code_insee=POITIERS).population
    assert poitiers > loudun
    before = {
        "generaliste": {LOUDUN: make(sous_dense=True), ANTRAN: make(sous_dense=False), POITIERS: make(sous_dense=None)},
        KINE: {LOUDUN: make(sous_dense=False)},
    }
    after = {
        "generaliste": {
            LOUDUN: make(sous_dense=False),
            ANTRAN: make(sous_dense=False, zone="HZ"),  # another zone, the same verdict: no change
            POITIERS: make(sous_dense=True),
            "99999": make(sous_dense=True),  # not a unit: no name, no population
        },
        KINE: {},
        "infirmier": {ANTRAN: make(sous_dense=None)},  # unknown before and after: no change
    }
    found = changes(before, after)
    assert [(c.profession, c.code_insee, c.nom, c.population) for c in found] == [
        ("generaliste", POITIERS, "Poitiers", poitiers),
        ("generaliste", LOUDUN, "Loudun", loudun),
        ("generaliste", "99999", "", 0.0),
        (KINE, LOUDUN, "Loudun", loudun),
    ]
    assert [(c.avant.sous_dense if c.avant else "—", c.apres.sous_dense if c.apres else "—") for c in found] == [
        (None, True),
        (True, False),
        ("—", True),
        (False, "—"),
    ]


def _share_by_hand(departement: str, profession: str) -> float:
    units = Commune.objects.units().filter(departement_id=departement)
    found = verdicts(list(units.values_list("code_insee", flat=True)), profession)
    population = dict(units.values_list("code_insee", "population"))
    counted = [code for code, item in found.items() if item.source != "estimation" or item.valeur is not None]
    under = sum(population[code] or 0.0 for code in counted if found[code].sous_dense is True)
    return under / sum(population[code] or 0.0 for code in counted)


def test_a_village_without_inhabitants_weighs_nothing_in_its_departement_s_share(national):
    # Beaumont-en-Verdunois and Bezonvaux (Meuse), destroyed in 1916, count no inhabitant: under an order in force
    # they are « sous-denses » and add nothing, above or below the line.
    assert Commune.objects.get(code_insee="55039").population == 0
    order(date(2024, 3, 1), {"55039": "ZIP", "55050": "ZAC"})
    assert verdict("55039").sous_dense is True
    assert departement_shares()["55"] == pytest.approx(_share_by_hand("55", "generaliste"), rel=1e-12)


def test_the_share_and_the_map_of_another_profession_follow_its_own_verdict(national):
    order(date(2024, 3, 1), {LOUDUN: "sous-dote", ANTRAN: "tres-dote"}, KINE)
    shares = departement_shares(KINE)
    assert shares["86"] == pytest.approx(_share_by_hand("86", KINE), rel=1e-12)
    assert shares["86"] != pytest.approx(departement_shares()["86"])
    found = map_properties("86", KINE)
    assert (found[LOUDUN]["verdict_source"], found[LOUDUN]["sous_dense"]) == ("arrete-ars", True)
    assert (found[ANTRAN]["verdict_zone"], found[ANTRAN]["sous_dense"]) == ("Très doté", False)


def test_a_departement_without_inhabitants_has_no_share(national):
    Commune.objects.units().filter(departement_id="90").update(population=0)
    shares = departement_shares()
    assert "90" in shares and shares["90"] is None
    assert shares["86"] is not None


def test_france_s_counts(national):
    from oasis.verdicts.services import territory_counts

    found = verdicts(None)
    population = dict(Commune.objects.units().values_list("code_insee", "population"))
    result = territory_counts(None)
    assert (result.communes, result.communes_sous_denses) == (
        len(found),
        sum(1 for item in found.values() if item.sous_dense is True),
    )
    assert result.population == pytest.approx(sum(population.get(code) or 0.0 for code in found), rel=1e-12)


def test_a_territory_s_counts_and_a_snapshot_follow_each_profession_s_own_verdict(national):
    from oasis.territories.services import get_territory
    from oasis.verdicts.services import snapshot, territory_counts

    # The kinés of Loudun (3 of the Vienne's communes under an order) against the GPs of the same communes.
    order(date(2024, 3, 1), {LOUDUN: "sous-dote", ANTRAN: "tres-dote", POITIERS: "sous-dote"}, KINE)
    vienne = get_territory("departement", "86")
    population = dict(Commune.objects.units().filter(departement_id="86").values_list("code_insee", "population"))
    kines = territory_counts(vienne, KINE)
    assert kines.sources["arrete-ars"] == 3
    assert kines.communes == 265
    kine_verdicts = verdicts(list(population), KINE)
    under = [code for code, item in kine_verdicts.items() if item.sous_dense is True]
    assert {LOUDUN, POITIERS} <= set(under) and ANTRAN not in under
    assert kines.communes_sous_denses == len(under)
    assert kines.population_sous_dense == pytest.approx(sum(population[code] or 0.0 for code in under), rel=1e-12)
    gps = territory_counts(vienne)
    assert "arrete-ars" not in gps.sources and gps.sources["apl-drees"] >= 250
    # A snapshot asks each profession its own verdicts.
    taken = snapshot(["generaliste", KINE])
    assert (taken[KINE][LOUDUN].source, taken[KINE][LOUDUN].zone) == ("arrete-ars", "sous-dote")
    assert taken[KINE][ANTRAN].sous_dense is False
    assert taken["generaliste"][LOUDUN].source == "apl-drees"
    assert taken == {"generaliste": verdicts(None), KINE: verdicts(None, KINE)}


def test_france_s_verdicts_for_another_profession_are_its_own(national):
    order(date(2024, 3, 1), {LOUDUN: "sous-dote"}, KINE)
    found = territory_verdicts(None, KINE)
    assert found == verdicts(None, KINE)
    assert (found[LOUDUN].profession, found[LOUDUN].source, found[LOUDUN].zone) == (KINE, "arrete-ars", "sous-dote")
    assert territory_verdicts(None)[LOUDUN].source == "apl-drees"
