"""Shared fixtures: the real national bundle, a small raw sample, and a reproducible test order."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_SAMPLE = ROOT / "tests" / "data" / "raw"
ARTIFACTS = ROOT / "var" / "test-artifacts"
SHARED_RAW_DATA = Path(os.environ.get("OASIS_RAW_DATA", ROOT.parent / "shared" / "data"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Transactional tests (the job worker's, the browser's with live_server) flush the database after each test:
    # run them last so the national data loaded once serves every other test. They are marked, so that the mutation
    # runs can leave them out (each would cost the next mutant a reload of the national data).
    def flushes(item: pytest.Item) -> int:
        if item.get_closest_marker("browser") is not None:
            return 2
        marker = item.get_closest_marker("django_db")
        return 1 if marker is not None and marker.kwargs.get("transaction") else 0

    for item in items:
        if flushes(item):
            item.add_marker(pytest.mark.transactional)
    items.sort(key=flushes)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database, with the committed national bundle, the shipped official APL and the default APL runs.

    A database kept by ``--reuse-db`` (a file: ``OASIS_SQLITE_TEST_PATH``) has them already.
    """
    from oasis.accessibility.runs import current_run
    from oasis.datasets.load import is_loaded, load_bundle
    from oasis.references.shipped import import_shipped
    from oasis.supply.enums import PROFESSIONS

    with django_db_blocker.unblock():
        if not is_loaded():
            load_bundle()
            import_shipped()
        _reseed_data_migrations()
        for profession in PROFESSIONS:
            current_run(profession.value)


@pytest.fixture(scope="session", autouse=True)
def fresh_memos() -> None:
    """Start each session without the in-process memos of the modules under mutation testing: mutmut forks every
    mutant from a process that has run the tests, and a memo filled there would hide the mutated code. HiGHS's
    thread pool does not survive a fork either: a forked solve took two minutes instead of a second until reset."""
    import highspy

    from oasis.diagnostics.services import _nearest
    from oasis.planning.services import _coverage

    _nearest.clear()
    _coverage.clear()
    highspy.Highs.resetGlobalScheduler(True)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Login throttling lives in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def national(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Tests that read the national data; reloads it if a transactional test flushed the database."""
    from oasis.datasets.load import is_loaded, load_bundle
    from oasis.references.shipped import import_shipped

    with django_db_blocker.unblock():
        if not is_loaded():
            load_bundle()
            import_shipped()
        _reseed_data_migrations()


def _reseed_data_migrations() -> None:
    """Transactional tests flush the database, data migrations included: put their rows back."""
    from importlib import import_module

    from django.apps import apps

    from oasis.projects.models import AciBareme, CahierDesCharges, FundingTool

    if not CahierDesCharges.objects.exists():
        import_module("oasis.projects.migrations.0003_default_cahier_des_charges").seed(apps, None)
    if not FundingTool.objects.exists() or not AciBareme.objects.exists():
        import_module("oasis.projects.migrations.0005_funding_catalogue_aci_bareme").seed(apps, None)
    from oasis.recruitment.models import AidScheme

    if not AidScheme.objects.filter(kind="nationale").exists():
        import_module("oasis.recruitment.migrations.0002_national_schemes").seed(apps, None)


@pytest.fixture
def raw_sample(tmp_path: Path) -> Path:
    """A writable copy of the raw sample (Vienne, Cantal, Paris, Maine-et-Loire)."""
    target = tmp_path / "raw"
    shutil.copytree(RAW_SAMPLE, target)
    return target


@pytest.fixture(scope="session")
def sample_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oasis.datasets.build import build_bundle

    output = tmp_path_factory.mktemp("bundle") / "bundle"
    build_bundle(RAW_SAMPLE, output)
    return output


@pytest.fixture
def artifacts() -> Iterator[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield ARTIFACTS


@pytest.fixture
def smtp(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server for the test, and Django's mail sent to it (as OASIS_SMTP_HOTE does in production)."""
    from oasis.testing import smtp_server

    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield inbox
