"""The administrator's page of the synchronisations: the last runs, what they changed, and « synchroniser maintenant »
queued for the real worker."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from oasis.connectors.aides_territoires import synchronise
from oasis.connectors.enums import Connector, SyncStatus
from oasis.connectors.models import Aide, SyncRun
from oasis.testing import run_queued_jobs
from tests.connectors.standins import AidesTerritoires, aid, serving

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


@pytest.fixture
def service(settings):  # type: ignore[no-untyped-def]
    standin = AidesTerritoires([aid(1, "Maisons de santé", "Vienne (Département)", ["Communes"])])
    with serving(standin):
        settings.OASIS_AIDES_TERRITOIRES_URL = standin.base_url
        settings.OASIS_AIDES_TERRITOIRES_KEY = AidesTerritoires.API_KEY
        settings.OASIS_AIDES_TERRITOIRES_SEARCHES = ["santé"]
        yield standin


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser(username="admin", email="admin@oasis.test", password="x" * 20)
    client.force_login(user)
    return client


def test_the_page_lists_the_runs_their_changes_and_errors(service, admin_client, settings):
    synchronise()
    settings.OASIS_AIDES_TERRITOIRES_KEY = "mauvaise"
    with pytest.raises(Exception, match="jeton refusé"):
        synchronise()
    page = admin_client.get(reverse("admin:connectors_syncrun_changelist")).content.decode()
    assert "aides nouvelles : 1" in page and "jeton refusé" in page
    done = SyncRun.objects.get(status=SyncStatus.REUSSIE)
    detail = admin_client.get(reverse("admin:connectors_syncrun_change", args=[done.pk])).content.decode()
    assert "<li>Maisons de santé</li>" in detail


def test_synchronise_now_runs_in_the_worker(service, admin_client):
    page = admin_client.get(reverse("admin:connectors_syncrun_changelist")).content.decode()
    assert 'value="aides-territoires|' in page
    response = admin_client.post(
        reverse("admin:connectors_syncrun_synchroniser"), {"source": f"{Connector.AIDES_TERRITOIRES}|{service.base_url}"}
    )
    assert response.status_code == 302
    assert not Aide.objects.exists()  # not in the request
    run_queued_jobs()
    assert Aide.objects.get().nom == "Maisons de santé"
    assert SyncRun.objects.get().by.username == "admin"


def test_only_configured_sources_and_superusers(service, admin_client):
    response = admin_client.post(reverse("admin:connectors_syncrun_synchroniser"), {"source": "demarches-simplifiees|démarche 1"})
    assert response.status_code == 302
    run_queued_jobs()
    assert not SyncRun.objects.exists()
    assert admin_client.get(reverse("admin:connectors_syncrun_synchroniser")).status_code == 403
