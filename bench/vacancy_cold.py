"""A vacancy page on a fresh installation, first request after a restart (issue #31: < 300 ms).

    OASIS_HOME=… python bench/vacancy_cold.py [--fois 3]

Makes a Département officer and a vacancy in the Vienne once, signs the officer in (a session in the database), then
asks the vacancy page on a new gunicorn each time (one process, nothing computed in its memory).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cold import first_request

SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from oasis.accounts.models import Profile
from oasis.recruitment.models import Vacancy
from oasis.recruitment.vacancies import VacancyData, create_vacancy
User = get_user_model()
user = User.objects.filter(email="banc-poste@test.fr").first()
if user is None:
    user = User.objects.create_user(username="banc-poste@test.fr", email="banc-poste@test.fr", password="x" * 20)
    Profile.objects.update_or_create(user=user, defaults={"role": "departement", "departement_id": "86"})
vacancy = Vacancy.objects.filter(commune_id="86070").first() or create_vacancy(
    user, VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie", logement=True)
)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(vacancy.pk, session.session_key)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fois", type=int, default=3)
    options = parser.parse_args()
    output = subprocess.run(
        [sys.executable, "-m", "oasis.cli", "shell", "-c", SETUP], env=os.environ, check=True, capture_output=True, text=True
    ).stdout.split()
    pk, session = output[-2], output[-1]
    path = f"/recrutement/postes/{pk}/"
    timings = []
    for _ in range(options.fois):
        seconds, status, _size = first_request(path, cookie=f"sessionid={session}")
        assert status == 200, status
        timings.append(seconds * 1000)
    median = statistics.median(timings)
    verdict = "atteint" if median < 300 else "non atteint"
    print(f"page d'un poste, première requête après redémarrage : médiane {median:.0f} ms (objectif < 300 ms : {verdict})")


if __name__ == "__main__":
    main()
