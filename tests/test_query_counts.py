"""Query counts of the pages and API lists that list things: pinned, and unchanged when the lists grow.

A per-row query that comes back makes the second half of each test fail (more rows, more queries); a new query on a
page shows in its pinned count, to be looked at and re-pinned on purpose.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oasis.projects.services import create_project
from oasis.recruitment.candidates import CandidateData, create_candidate
from tests.factories import NewProjectFactory
from tests.projects.conftest import cast, project  # noqa: F401
from tests.recruitment.conftest import student, vienne_medecine  # noqa: F401

pytestmark = pytest.mark.django_db


def queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert getattr(response, "status_code", 200) == 200
    return len(captured.captured_queries)


def _more_projects(user, count: int) -> None:
    for index in range(count):
        create_project(
            user,
            NewProjectFactory(nom=f"Maison de santé n° {index}", commune_principale="86070", next_action="Réunion"),
        )


def _more_candidates(user, count: int) -> None:
    for index in range(count):
        create_candidate(
            user,
            "86",
            CandidateData(nom=f"Nom{index}", prenom="P", profession="generaliste", situation="etudiant"),
            True,
        )


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/projets/", _more_projects),
        ("/projets/tableau-de-bord/", _more_projects),
        ("/projets/carte.geojson", _more_projects),
        ("/api/projets", _more_projects),
        ("/recrutement/candidats/", _more_candidates),
        ("/api/postes", _more_candidates),
    ],
)
def test_lists_do_not_query_per_row(client, cast, project, student, url, grow):  # noqa: F811
    officer = cast["vienne"]
    client.force_login(officer)
    client.get(url)  # warm the caches that live for the process (units, parameters)
    before = queries(lambda: client.get(url))
    grow(officer, 3)
    assert queries(lambda: client.get(url)) == before


HEAVY = 8


@pytest.mark.parametrize(
    ("url", "count"),
    [
        # Kept once built (per data version): the territory, the data version (3 queries), the commune's parent;
        # read live: the Département's contact for professionals.
        ("/territoires/commune/86140/", 6),
        ("/territoires/departement/86/", 5),
        ("/", 3),
        # Computed on the spot, each also counts 8 queries of the anonymous visitor's limit (HEAVY): the address's lock
        # (2), the counts, the request's row, its end, whether rows are due for purging, and the test's savepoint (2).
        # Kept once built (per data version): the data version (3 queries) and the EPCI.
        ("/territoires/epci/200069854/etat-des-lieux/", 4 + HEAVY),
        ("/api/carte/communes/86", 22 + HEAVY),
        # Où m'installer ?: the place, the data version (3), the Département's contact and name, the verdict (3), the
        # open schemes (1), the open aids, the place's units, the vacancies, the projects seeking professionals.
        ("/installation/ou-m-installer/?profession=generaliste&lieu=Loudun+%2886137%29", 14 + HEAVY),
    ],
)
def test_public_pages_are_pinned(client, django_assert_num_queries, url, count):
    client.get(url)  # warm the process caches
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/territoires/epci/200069854/etat-des-lieux/", 168 + HEAVY),  # 209 before the cold pages (national figures kept)
        ("/territoires/departement/86/", 28),
        ("/", 6),
    ],
)
def test_pages_built_once_per_data_version(client, django_assert_num_queries, url, count):
    """What the warm pages above skip: building the figures, pinned too."""
    from django.core.cache import cache

    client.get(url)
    cache.clear()
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200


def test_project_and_candidate_pages_are_pinned(client, cast, project, student, django_assert_num_queries):  # noqa: F811
    client.force_login(cast["vienne"])
    # Two queries of each page are the header's: the officer's département, named beside their role, and the count of
    # their unread notifications. The project page also lists the communes it serves (its territory's état des lieux).
    for url, count in (
        (f"/projets/{project.pk}/", 26),  # + its Démarches simplifiées dossier, if any; the read tokens of its forms
        (f"/recrutement/candidats/{student.pk}/", 22),
        (f"/api/projets/{project.pk}", 6),  # + its territory
    ):
        client.get(url)
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
