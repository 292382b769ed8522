"""``oasis precalculer`` computes the pages beforehand through the test client, as a visitor would ask them: the
visitors' limit on heavy pages never refuses it (a national run asks hundreds of états des lieux in a minute)."""

import pytest
from django.test import Client
from django.utils import timezone

from oasis.accounts.models import HeavyRequest
from oasis.www.precompute import precompute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_the_command_is_not_refused_where_a_visitor_would_be(settings, tmp_path):
    settings.OASIS_PRECALCULS_DIR = tmp_path / "precalculs"
    settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE, settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE = 1, 1
    HeavyRequest.objects.create(address="127.0.0.1", started_at=timezone.now())  # this minute's one is used up
    assert Client().get("/api/carte/departements").status_code == 429

    steps = precompute(levels=())  # the runs, the home page, the national map and APL answers

    assert steps > 10
    assert len(list((tmp_path / "precalculs").rglob("*.pickle"))) >= steps - 7  # the map among them
    assert Client().get("/api/carte/departements").status_code == 429  # visitors are limited as before
