"""The what-if rules one by one: what a departure, an installation and a retirement take from or add to the supply,
the communes entering and leaving under-density at the threshold itself, the summary's figures, the scenario stored,
and each refusal by its whole message and the change's position."""

from dataclasses import replace

import numpy as np
import pytest

from oasis.accessibility import whatif
from oasis.accessibility.computation import compute
from oasis.accessibility.imports import import_practitioners
from oasis.accessibility.models import ScenarioResult
from oasis.accessibility.runs import run_apl
from oasis.accessibility.whatif import run_scenario, what_if
from oasis.territories.models import Commune

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

POITIERS, LUSSAC = "86194", "86140"


@pytest.fixture
def gps(national):  # type: ignore[no-untyped-def]
    return compute("generaliste")


def test_every_practitioner_of_a_commune_leaving_takes_its_whole_supply(gps):
    index = gps.units.index[POITIERS]
    present = int(gps.supply.counts[index])
    result = what_if(gps, [{"type": "retrait", "commune": POITIERS, "nombre": present}])
    assert result.summary["variation_offre"] == pytest.approx(-gps.supply.values[index])
    with pytest.raises(ValueError) as error:
        what_if(gps, [{"type": "retrait", "commune": POITIERS, "nombre": present + 1}])
    message = whatif.TOO_MANY_DEPARTURES.format(position=1, number=present + 1, code=POITIERS, present=present)
    assert str(error.value) == message


def test_installations_at_one_commune_add_up(gps):
    one_change = what_if(gps, [{"type": "structure", "commune": LUSSAC, "nombre": 3}])
    two_changes = what_if(
        gps, [{"type": "ajout", "commune": LUSSAC, "nombre": 2}, {"type": "ajout", "commune": LUSSAC, "nombre": 1}]
    )
    assert two_changes.summary["variation_offre"] == pytest.approx(3 * gps.supply.per_new_practitioner)
    np.testing.assert_allclose(two_changes.after, one_change.after, equal_nan=True)
    touched = ~np.isnan(one_change.before) & (np.abs(one_change.after - one_change.before) > 1e-12)
    assert one_change.summary["communes_modifiees"] == int(touched.sum()) > 0
    largest = float(np.nanmax(np.abs(one_change.after - one_change.before)))
    assert largest > 0
    assert one_change.summary["variation_apl_max"] == pytest.approx(largest)


def test_no_change_changes_nothing(gps):
    summary = what_if(gps, []).summary
    assert (summary["communes_modifiees"], summary["variation_offre"], summary["variation_apl_max"]) == (0, 0.0, 0.0)


def _crossings(before, after, threshold):  # type: ignore[no-untyped-def]
    """The communes entering and leaving under-density, by the rule's words, one commune at a time."""
    entering, leaving = [], []
    for position, (old, new) in enumerate(zip(before, after, strict=True)):
        if np.isnan(old):
            continue
        if old >= threshold > new:
            entering.append(position)
        if old < threshold <= new:
            leaving.append(position)
    return entering, leaving


@pytest.mark.parametrize(
    ("kind", "at", "crosses"),
    [
        ("retrait", "before", "entering"),  # from the threshold itself to below it: enters
        ("retrait", "after", None),  # from above down to the threshold itself: still not under-dense
        ("ajout", "after", "leaving"),  # from below up to the threshold itself: leaves
        ("ajout", "before", None),  # from the threshold itself upwards: was not under-dense
    ],
)
def test_a_commune_whose_apl_was_or_becomes_the_threshold_itself(gps, kind, at, crosses):
    index = gps.units.index[POITIERS]
    change = [{"type": kind, "commune": POITIERS, "nombre": 5}]
    plain = what_if(gps, change)
    threshold = float(plain.before[index] if at == "before" else plain.after[index])
    at_threshold = replace(gps, parameters=replace(gps.parameters, seuil_sous_dense=threshold))
    summary = what_if(at_threshold, change).summary
    entering, leaving = _crossings(plain.before, plain.after, threshold)
    assert (index in entering, index in leaving) == (crosses == "entering", crosses == "leaving")
    inhabitants = dict(Commune.objects.units().values_list("code_insee", "population"))  # the territory page's figure
    population = np.array([float(inhabitants[code]) for code in gps.units.codes])
    assert (summary["communes_entrant_sous_densite"], summary["communes_sortant_sous_densite"]) == (len(entering), len(leaving))
    assert summary["population_entrant_sous_densite"] == pytest.approx(float(population[entering].sum()))
    assert summary["population_sortant_sous_densite"] == pytest.approx(float(population[leaving].sum()))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            [{"type": "ajout", "commune": LUSSAC, "nombre": 1}, {"type": "ajout", "commune": "99999", "nombre": 1}],
            whatif.UNKNOWN_COMMUNE.format(position=2, code="99999", hint=""),
        ),
        ([{"type": "ajout", "nombre": 1}], whatif.UNKNOWN_COMMUNE.format(position=1, code="", hint="")),
        (
            [{"type": "ajout", "commune": "75056", "nombre": 1}],
            whatif.UNKNOWN_COMMUNE.format(position=1, code="75056", hint=whatif.PLM_HINT),
        ),
        ([{"type": "ajout", "commune": LUSSAC, "nombre": 0}], whatif.POSITIVE_NUMBER.format(position=1)),
        ([{"type": "ajout", "commune": LUSSAC, "nombre": 1.0}], whatif.POSITIVE_NUMBER.format(position=1)),
        ([{"type": "demenagement"}], whatif.UNKNOWN_TYPE.format(position=1, kind="demenagement")),
        ([{"type": "depart_age", "age": 65}], whatif.AGES_UNKNOWN.format(position=1)),
    ],
)
def test_a_bad_change_is_refused_by_its_position_and_reason(gps, changes, message):
    with pytest.raises(ValueError) as error:
        what_if(gps, changes)
    assert str(error.value) == message


def _activity(tmp_path, name, content, profession):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(content)
    import_practitioners(path, profession, 2023)


def test_retirements_take_each_practitioner_s_counted_activity_from_their_own_profession(tmp_path):
    gp_lines = [
        "86194,7000,70,liberal,0",  # capped: 6000
        "86194,9000,68,centre-de-sante,0",  # a centre de santé is not capped: 9000
        "86140,100,67,liberal,1",  # newly installed: 5400
        "86194,5000,50,liberal,0",  # stays
    ]
    _activity(tmp_path, "mg.csv", "code_insee,actes,age,mode,nouvel_installe\n" + "\n".join(gp_lines) + "\n", "generaliste")
    _activity(tmp_path, "ide.csv", "code_insee,etp,age\n86194,0.5,70\n86194,1,66\n86140,1,40\n", "infirmier")
    doctors = what_if(compute("generaliste", "ensemble"), [{"type": "depart_age", "age": 65}])
    assert doctors.summary["variation_offre"] == pytest.approx(-(6000 + 9000 + 5400))
    nurses = compute("infirmier")
    retiring = what_if(nurses, [{"type": "depart_age", "age": 65}])
    assert retiring.summary["variation_offre"] == pytest.approx(-(0.5 + 1.0))
    with pytest.raises(ValueError) as error:
        what_if(nurses, [{"type": "depart_age", "age": "65"}])
    assert str(error.value) == whatif.AGE_INTEGER.format(position=1)


def test_a_scenario_is_stored_with_its_name_and_refused_on_a_stale_run():
    run = run_apl("generaliste", "moins-65")
    scenario = run_scenario(run, "Maison de santé à Lussac", [{"type": "structure", "commune": LUSSAC, "nombre": 3}])
    scenario.refresh_from_db()
    assert scenario.nom == "Maison de santé à Lussac"
    assert ScenarioResult.objects.filter(scenario=scenario).count() == scenario.resume["communes_modifiees"]
    run.content_hash = "0" * 64
    with pytest.raises(ValueError) as error:
        run_scenario(run, "Plus à jour", [])
    assert str(error.value) == whatif.STALE_RUN


def test_a_what_if_equals_a_full_computation_with_the_changed_supply(national):
    nurses = compute("infirmier")  # ETP per 100,000 inhabitants: a multiplier other than one
    assert nurses.parameters.multiplicateur != 1
    result = what_if(nurses, [{"type": "ajout", "commune": LUSSAC, "nombre": 2}])
    supply = nurses.supply.values.copy()
    supply[nurses.units.index[LUSSAC]] += 2 * nurses.supply.per_new_practitioner
    full = nurses.model.apl(supply) * nurses.parameters.multiplicateur
    valid = ~np.isnan(result.before)
    np.testing.assert_allclose(result.after[valid], full[valid], rtol=1e-9, atol=1e-12)
