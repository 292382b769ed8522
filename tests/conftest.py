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
# Tests share one data version across tests that change the data: no precomputed files kept between them (servers the
# tests start inherit it; tests/datasets/test_precomputed.py gives its own folder).
os.environ["OASIS_PRECALCULS_DIR"] = ""


@pytest.fixture(autouse=True, scope="session")
def no_precomputed_files() -> None:
    from django.conf import settings

    settings.OASIS_PRECALCULS_DIR = None


# A test that uses none of these cannot reach the database (pytest-django refuses it): its answer is the same on
# every engine. The subprocess tests (``oasis serve``, gunicorn, systemd) give their command a clean environment:
# SQLite in their own folder whatever the suite's engine.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _once_on_sqlite(config, items)
    _transactional_last(items)


def _once_on_sqlite(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that use the database: the others (the pure core, parsers, subprocesses
    with their own SQLite folder) already ran on SQLite, with the same answer (``make test`` runs both engines)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    kept = [item for item in items if _uses_database(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not _uses_database(item)])
        items[:] = kept


def _transactional_last(items: list[pytest.Item]) -> None:
    # Transactional tests (the job worker's, the browser's with live_server) commit, and the loaded database is put
    # back after each (``_Snapshot``): run them last all the same, together. They are marked, so that the mutation
    # runs can leave them out.
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

    A database kept by ``--reuse-db`` (a file: ``OASIS_SQLITE_TEST_PATH``) has them already. Once loaded, the database
    is copied: a transactional test ends by putting that copy back instead of emptying the database (see
    ``_restore_instead_of_flush``).
    """
    from django.db import connection
    from django.test import TransactionTestCase

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
        snapshot = _Snapshot.take(connection)
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _restore_instead_of_flush(flush, snapshot)  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = flush  # type: ignore[method-assign]
    with django_db_blocker.unblock():
        snapshot.drop()


class _Snapshot:
    """A copy of the loaded test database, put back after each transactional test.

    Transactional tests (the job worker's, the browser's with live_server) commit: Django empties the database after
    each, and the next test that needs the national data reloaded the bundle, the shipped official APL and the APL runs
    (30-40 s each time, about half of the suite's time). Putting back a copy taken once is exact — every table, rows,
    sequences, whatever a test wrote, national tables included (a test may import a reference or run the worker) —
    and takes well under a second, so every transactional test starts from the state every other test sees.

    SQLite (in memory, or a file with ``--reuse-db``): the copy is an in-memory database filled by SQLite's online
    backup, and the backup the other way round restores it. PostgreSQL: the copy is a template database; restoring
    drops the test database (ending the sessions still on it) and creates it again from the template.
    """

    def __init__(self, connection, copy) -> None:  # type: ignore[no-untyped-def]
        self.connection = connection
        self.copy = copy

    @classmethod
    def take(cls, connection):  # type: ignore[no-untyped-def]
        if connection.vendor == "sqlite":
            import sqlite3

            connection.ensure_connection()
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            return cls(connection, copy)
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            copy = f"{name}_copie"
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(copy)}")
                cursor.execute(f"CREATE DATABASE {_quoted(copy)} TEMPLATE {_quoted(name)}")
            return cls(connection, copy)
        raise NotImplementedError(connection.vendor)

    def restore(self) -> None:
        connection = self.connection
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy.backup(connection.connection)
            return
        name = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {_quoted(name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {_quoted(name)} TEMPLATE {_quoted(self.copy)}")

    def drop(self) -> None:
        if self.connection.vendor == "sqlite":
            self.copy.close()
            return
        self.connection.close()
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(self.copy)} WITH (FORCE)")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _restore_instead_of_flush(flush, snapshot):  # type: ignore[no-untyped-def]
    """``TransactionTestCase._fixture_teardown``: the default database gets the loaded copy back instead of a flush."""

    def teardown(self):  # type: ignore[no-untyped-def]
        from django.db import DEFAULT_DB_ALIAS

        if self.available_apps is not None or self.serialized_rollback:
            return flush(self)  # the flush's own rules (none of the tests asks for them today)
        if self._databases_names(include_mirrors=False) != [DEFAULT_DB_ALIAS]:
            return flush(self)
        snapshot.restore()
        return None

    return teardown


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
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Every test, browser and live servers included (same process): production keeps Django's default, PBKDF2 at a
    million iterations, half a second a password (tests/projects/test_accounts.py checks the settings set no other);
    the tests create and sign in thousands of accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Login throttling lives in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def national(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Tests that read the national data (a transactional test puts back the loaded database: nothing to reload)."""
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
        import_module("oasis.projects.migrations.0015_national_tool_dates").dated(apps, None)
        import_module("oasis.projects.migrations.0022_detr_population_rule").by_population(apps, None)
    if (
        not CahierDesCharges.objects.filter(kind="centre-de-sante").exists()
        or not AciBareme.objects.filter(kind="centre-de-sante").exists()
        or FundingTool.objects.filter(code="fir-etude", region_code="").exists()
    ):
        import_module("oasis.projects.migrations.0014_structure_kinds_regional_fir").seed(apps, None)
    import_module("oasis.projects.migrations.0017_biologiste_telemedecine").seed(apps, None)  # idempotent
    from oasis.recruitment.models import AidScheme

    if not AidScheme.objects.filter(kind="nationale").exists():
        import_module("oasis.recruitment.migrations.0002_national_schemes").seed(apps, None)
        import_module("oasis.recruitment.migrations.0008_national_scheme_dates").dated(apps, None)


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
