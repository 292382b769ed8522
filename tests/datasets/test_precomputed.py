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
