"""Figures kept in files every server process reads: what one process computed, another reads; a new version, anew."""

from __future__ import annotations

import pytest

from oasis.datasets import precomputed
from oasis.datasets.fingerprint import kept, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.OASIS_PRECALCULS_DIR = tmp_path / "precalculs"
    return settings.OASIS_PRECALCULS_DIR


def test_what_one_process_computed_another_reads_until_the_data_change(shared):
    from django.core.cache import cache

    from oasis.datasets.models import BundleLoad

    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"valeur": len(calls)}

    assert kept("essai", build) == {"valeur": 1}
    cache.clear()  # another process: nothing in its memory
    assert kept("essai", build) == {"valeur": 1} and len(calls) == 1
    assert len(list(shared.rglob("*.pickle"))) == 1
    BundleLoad.objects.create(bundle_sha256="0" * 64, source="test", duration_seconds=0)
    cache.clear()
    assert kept("essai", build) == {"valeur": 2}  # a new data version: computed again
    assert precomputed.remove_other_versions(version()) == 1
    assert len(list(shared.rglob("*.pickle"))) == 1


def test_a_damaged_file_is_computed_again(shared):
    assert kept("essai", lambda: 1) == 1
    (path,) = shared.rglob("*.pickle")
    path.write_bytes(b"pas un pickle")
    from django.core.cache import cache

    cache.clear()
    assert kept("essai", lambda: 2) == 2
    assert precomputed.read("essai", version()) == 2


def test_without_a_folder_nothing_is_written(settings, tmp_path):
    settings.OASIS_PRECALCULS_DIR = None
    assert kept("essai", lambda: 3) == 3
    assert precomputed.read("essai", version()) is precomputed.MISSING


def test_a_value_the_caller_keeps_itself_is_read_from_the_file_and_not_put_in_the_process_cache(shared):
    from django.core.cache import cache

    calls = []

    def build() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert kept("grand", build, process_cache=False) == [1]
    assert cache.get(f"grand:{version()}") is None
    assert kept("grand", build, process_cache=False) == [1] and len(calls) == 1  # read from the file
    assert precomputed.read("grand", version()) == [1]


def test_what_is_kept_while_another_value_is_built_is_read_on_the_same_version(shared, django_assert_num_queries):
    """The data version is read once (3 queries) for a value and what its computation keeps inside it."""

    def inner() -> int:
        return 2

    def outer() -> int:
        return kept("dedans", inner) + 1

    with django_assert_num_queries(3):
        assert kept("dehors", outer) == 3
    assert precomputed.read("dedans", version()) == 2
    with django_assert_num_queries(3):  # outside any computation: the version is read again
        assert kept("dedans", inner) == 2


def test_the_units_read_back_from_their_file_are_the_units(national):
    import pickle

    import numpy as np

    from oasis.accessibility.units import _read_units, bundle_fingerprint

    units = _read_units(bundle_fingerprint())
    back = pickle.loads(pickle.dumps(units, protocol=pickle.HIGHEST_PROTOCOL))
    for name, value in vars(units).items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(getattr(back, name), value, equal_nan=True), name
        else:
            assert getattr(back, name) == value and type(getattr(back, name)) is type(value), name
    assert back.index["86194"] == units.codes.index("86194") and back.n == units.n > 30_000
