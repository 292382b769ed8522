"""The job queue: one answer per question, limits on who may ask, failures said, a real worker running them."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from oasis.jobs import services
from oasis.jobs.models import Job
from oasis.jobs.runner import Outcome, run
from oasis.jobs.services import JobRefused, find, submit
from oasis.testing import run_queued_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def _square(job, progress):
    progress(0.5, "moitié")
    if job.params["n"] < 0:
        raise ValueError("n doit être positif")
    if job.params["n"] == 13:
        raise RuntimeError("bogue")
    return Outcome(result={"carre": job.params["n"] ** 2}, file=b"%PDF", file_name="carre.pdf", file_type="application/pdf")


@task()
def square_task(job_id: str) -> None:
    run(job_id, _square)


def user_named(name):
    return get_user_model().objects.create_user(username=name, password="un mot de passe assez long")


def ask(n, user=None, address="10.0.0.1"):
    return submit(square_task, kind="carre", libelle=f"Carré de {n}", params={"n": n}, version="v1", user=user, address=address)


def test_the_worker_runs_a_job_and_keeps_its_result():
    job = ask(7)
    assert job.statut == Job.Statut.EN_ATTENTE and job.percent == 0
    run_queued_jobs()
    job.refresh_from_db()
    assert job.statut == Job.Statut.TERMINE and job.result == {"carre": 49} and bytes(job.file) == b"%PDF"
    assert job.percent == 100 and job.started_at <= job.finished_at


def test_the_same_question_on_the_same_data_is_answered_once():
    first = ask(3)
    assert ask(3).pk == first.pk  # waiting: shared
    run_queued_jobs()
    assert ask(3).pk == first.pk  # done: kept
    assert ask(4).pk != first.pk
    other_data = submit(square_task, kind="carre", libelle="Carré", params={"n": 3}, version="v2", address="10.0.0.1")
    assert other_data.pk != first.pk


def test_an_expected_error_is_the_users_to_read_and_is_remembered_for_a_while():
    job = ask(-1)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.statut == Job.Statut.ECHEC and job.error == "n doit être positif"
    assert ask(-1).pk == job.pk
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(seconds=services.FAILURE_MEMORY_SECONDS + 1))
    assert ask(-1).pk != job.pk  # asked anew


def test_an_unexpected_error_fails_the_job_without_showing_the_trace():
    job = ask(13)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.statut == Job.Statut.ECHEC and "Erreur interne" in job.error and "bogue" not in job.error


def test_an_anonymous_address_may_have_two_jobs_waiting():
    for n in range(services.MAX_ACTIVE_PER_ADDRESS):
        ask(n)
    with pytest.raises(JobRefused, match="depuis votre adresse"):
        ask(100)
    ask(100, address="10.0.0.2")  # another address may
    run_queued_jobs()
    ask(101)  # once done, the first address may ask again


def test_anonymous_visitors_together_are_limited():
    for n in range(services.MAX_ACTIVE_ANONYMOUS):
        ask(n, address=f"10.0.1.{n}")
    with pytest.raises(JobRefused, match="non connectés"):
        ask(100, address="10.0.2.1")
    ask(100, user=user_named("agent"))  # a signed-in user is not held by visitors


def test_a_user_is_limited_and_abandoned_jobs_do_not_count():
    user = user_named("agent")
    jobs = [ask(n, user=user) for n in range(services.MAX_ACTIVE_PER_USER)]
    with pytest.raises(JobRefused, match="calculs en cours"):
        ask(100, user=user)
    ask(100, user=user_named("collegue"))  # another user may
    # A worker died: its job, older than the timeout, is abandoned and no longer holds the user.
    Job.objects.filter(pk=jobs[0].pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert find("carre", {"n": 0}, "v1") is None
    ask(101, user=user)


def test_status_page_and_file(client):
    job = ask(5)
    status = client.get(f"/taches/{job.pk}/etat.json").json()
    assert status == {"statut": "En attente", "etape": "", "pourcentage": 0, "termine": False, "erreur": ""}
    page = client.get(f"/taches/{job.pk}/").content.decode()
    assert "Carré de 5" in page and 'value="0"' in page
    assert client.get(f"/taches/{job.pk}/fichier").status_code == 404
    run_queued_jobs()
    assert client.get(f"/taches/{job.pk}/etat.json").json()["termine"] is True
    response = client.get(f"/taches/{job.pk}/fichier")
    assert response.content == b"%PDF" and 'filename="carre.pdf"' in response["Content-Disposition"]
    assert "Télécharger carre.pdf" in client.get(f"/taches/{job.pk}/").content.decode()
    assert client.get("/taches/00000000-0000-0000-0000-000000000000/").status_code == 404
