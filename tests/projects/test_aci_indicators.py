"""An ACI table's indicators as an administrator types them: each key required, numbers positive, flags true or
false, codes unique; the refusal names the indicator and the key. The seeded table passes."""

import pytest
from django.core.exceptions import ValidationError

from oasis.projects.models import AciBareme
from oasis.projects.validators import (
    INDICATOR_DUPLICATE,
    INDICATOR_MISSING,
    INDICATOR_NONE,
    INDICATOR_NOT_A_FLAG,
    INDICATOR_NOT_A_LIST,
    INDICATOR_NOT_A_NUMBER,
    validate_aci_indicators,
)

GOOD = {
    "code": "horaires",
    "libelle": "Horaires",
    "fixe": 800,
    "variable": 0,
    "max": 1,
    "socle": True,
    "prerequis": True,
    "par_professionnel": False,
}


def refusal(indicators) -> str:
    with pytest.raises(ValidationError) as raised:
        validate_aci_indicators(indicators)
    return raised.value.message


@pytest.mark.django_db
def test_the_seeded_table_is_valid():
    validate_aci_indicators(AciBareme.objects.get(kind="msp").indicateurs)
    validate_aci_indicators(AciBareme.objects.get(kind="centre-de-sante").indicateurs)


def test_a_complete_indicator_passes_with_zero_and_decimal_numbers():
    validate_aci_indicators([GOOD, {**GOOD, "code": "autre", "fixe": 0, "variable": 12.5, "max": 0}])


def test_a_table_has_one_indicator_at_least():
    assert refusal([]) == INDICATOR_NONE


@pytest.mark.parametrize("key", sorted(GOOD))
def test_each_key_is_required(key):
    second = {name: value for name, value in {**GOOD, "code": "deux"}.items() if name != key}
    code = "?" if key == "code" else "deux"
    assert refusal([GOOD, second]) == INDICATOR_MISSING.format(number=2, code=code, key=key)


@pytest.mark.parametrize("key", ["fixe", "variable", "max"])
@pytest.mark.parametrize("value", [-1, -0.01, "3", None, True])
def test_points_and_maximum_are_positive_numbers(key, value):
    assert refusal([{**GOOD, key: value}]) == INDICATOR_NOT_A_NUMBER.format(number=1, code="horaires", key=key)


@pytest.mark.parametrize("key", ["socle", "prerequis", "par_professionnel"])
@pytest.mark.parametrize("value", [1, "oui", None])
def test_flags_are_true_or_false(key, value):
    assert refusal([{**GOOD, key: value}]) == INDICATOR_NOT_A_FLAG.format(number=1, code="horaires", key=key)


def test_codes_are_unique():
    assert refusal([GOOD, {**GOOD, "libelle": "Encore"}]) == INDICATOR_DUPLICATE.format(number=2, code="horaires")


@pytest.mark.parametrize("indicators", [{"code": "horaires"}, [GOOD, "horaires"], "[]"])
def test_a_list_of_objects_is_expected(indicators):
    assert refusal(indicators) == INDICATOR_NOT_A_LIST


@pytest.mark.django_db
def test_the_admin_s_model_check_refuses_an_incomplete_table():
    bareme = AciBareme(nom="Incomplet", indicateurs=[{"code": "x", "libelle": "X"}])
    with pytest.raises(ValidationError) as raised:
        bareme.full_clean()
    assert raised.value.message_dict["indicateurs"] == [INDICATOR_MISSING.format(number=1, code="x", key="fixe")]


@pytest.mark.django_db
def test_the_admin_page_names_the_faulty_indicator(client, django_user_model, national):
    admin = django_user_model.objects.create_superuser("admin@oasis.test", "admin@oasis.test", "un-mot-de-passe-long-42")
    client.force_login(admin)
    bareme = AciBareme.objects.get(kind="msp")
    url = f"/admin/projects/acibareme/{bareme.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {name: value for name, value in data.items() if value is not None}
    data["actif"] = "on" if data.get("actif") else ""
    data["indicateurs"] = '[{"code": "x", "libelle": "X", "fixe": -5}]'
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Indicateur n° 1 (x) : clé « variable » manquante." in response.content.decode()
    bareme.refresh_from_db()
    assert bareme.indicateurs != [{"code": "x", "libelle": "X", "fixe": -5}]
