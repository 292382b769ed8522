"""The planning page: the plan is a job, shown in progress then kept; what a visitor may ask without signing in."""

import csv
import io
import json
from html import escape

import pytest
from django.contrib.auth import get_user_model

from oasis.jobs.models import Job
from oasis.planning import jobs as planning_jobs
from oasis.testing import run_queued_jobs

pytestmark = pytest.mark.usefixtures("national")
# The worker commits as it goes (as in production): the tests that run it use a transactional database.
with_worker = pytest.mark.django_db(transaction=True)


@with_worker
def test_the_plan_is_computed_by_the_worker_then_kept(client):
    asked = {"territoire": "dep:86", "sites": 3}
    waiting = client.get("/implantation/", asked).content.decode()
    assert "data-job-status" in waiting and "Trois scénarios" not in waiting
    assert Job.objects.count() == 1
    run_queued_jobs()
    content = client.get("/implantation/", asked).content.decode()
    assert "3 sites proposés — Vienne" in content and "Trois scénarios côte à côte" in content
    # The Vienne's population as its territory page gives it (INSEE population municipale 2022), not the DREES's 2021.
    assert "(sur 438\u202f897, population municipale 2022 de l&#x27;INSEE, en vigueur au 1er janvier 2025, COG 2025)" in content
    data = json.loads(content.split('<script id="planning-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["sites"]) == 3
    assert Job.objects.count() == 1  # computed once, read since
    table = content.split('id="table-scenarios"')[1]
    assert all(escape(label) in table for label in planning_jobs.DEMANDS.values())


@with_worker
def test_csv_after_the_plan(client):
    asked = {"territoire": "epci:200069854", "sites": 1}
    before = client.get("/implantation/sites.csv", asked)
    assert before.status_code == 302 and before["Location"].startswith("/implantation/?")
    client.get(before["Location"])
    run_queued_jobs()
    response = client.get("/implantation/sites.csv", asked)
    assert response["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))) == 1


@pytest.mark.django_db
def test_page_errors_are_explained(client):
    response = client.get("/implantation/", {"territoire": "dep:00"})
    assert response.status_code == 400 and "Département inconnu" in response.content.decode()
    assert client.get("/implantation/").status_code == 200  # the empty form
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "allowed"),
    [
        ({"sites": planning_jobs.ANONYMOUS_MAX_SITES}, True),
        ({"sites": planning_jobs.ANONYMOUS_MAX_SITES + 1}, False),
        ({"minutes": planning_jobs.ANONYMOUS_MAX_MINUTES}, True),
        ({"minutes": planning_jobs.ANONYMOUS_MAX_MINUTES + 1}, False),
        ({"modele": "p-median"}, True),
        ({"modele": "p-median", "territoire": "reg:75"}, False),
    ],
)
def test_what_a_visitor_may_ask(client, asked, allowed):
    response = client.get("/implantation/", {"territoire": "dep:86", **asked})
    assert (response.status_code == 200) is allowed
    assert Job.objects.exists() is allowed
    if not allowed:
        assert "Sans connexion" in response.content.decode() and "connectez-vous" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_user_may_ask_more(client):
    user = get_user_model().objects.create_user(username="agent@ars.test", password="un mot de passe assez long")
    client.force_login(user)
    response = client.get("/implantation/", {"territoire": "reg:75", "modele": "p-median", "sites": 20, "minutes": 45})
    assert response.status_code == 200 and Job.objects.get().requested_by == user


@with_worker
def test_the_p_median_page(client):
    asked = {"territoire": "dep:86", "sites": 2, "modele": "p-median"}
    client.get("/implantation/", asked)
    run_queued_jobs()
    content = client.get("/implantation/", asked).content.decode()
    assert 'value="p-median" selected' in content and "distance moyenne minimale" in content
    assert "p-médian" not in content and "MCLP" not in content


@with_worker
def test_the_api_answers_202_until_the_worker_has_computed_then_the_result(client):
    asked = {"territoire": "dep:86", "sites": 2, "demande": "deficit"}
    waiting = client.get("/api/implantation", asked)
    assert waiting.status_code == 202 and waiting.json()["etat"].endswith("/etat.json")
    assert client.get(waiting.json()["etat"]).json()["termine"] is False
    run_queued_jobs()
    data = client.get("/api/implantation", asked).json()
    assert data["statut"] == "optimal" and len(data["sites"]) == 2
    assert data["provenance"]["methode"].startswith("programme linéaire")


@pytest.mark.django_db
def test_the_api_refuses_what_it_cannot_compute(client):
    assert client.get("/api/implantation", {"territoire": "dep:86", "methode": "hasard"}).status_code == 400
    assert client.get("/api/implantation", {"territoire": "dep:00"}).status_code == 404
    too_much = client.get("/api/implantation", {"territoire": "dep:86", "sites": planning_jobs.ANONYMOUS_MAX_SITES + 1})
    assert too_much.status_code == 400 and "Sans connexion" in too_much.json()["detail"]
    assert not Job.objects.exists()
