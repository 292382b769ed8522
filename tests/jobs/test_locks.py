"""The limits' lock rows: one per bucket, however many addresses and e-mails are counted."""

import pytest

from oasis.jobs import locks
from oasis.jobs.models import Verrou

pytestmark = pytest.mark.django_db


def test_the_lock_table_holds_at_most_one_row_per_bucket(monkeypatch):
    monkeypatch.setattr(locks, "BUCKETS", 8)
    for number in range(60):
        with locks.counted(f"requetes-lourdes:adresse:10.0.0.{number}", f"inscriptions:courriel:{number}@exemple.fr"):
            pass
    keys = set(Verrou.objects.values_list("key", flat=True))
    assert keys <= {f"{bucket:04x}" for bucket in range(8)}
    assert len(keys) == 8  # 120 names spread over every bucket


def test_a_name_always_takes_the_same_row_and_names_spread():
    assert locks.bucket("jobs:adresse:1.2.3.4") == locks.bucket("jobs:adresse:1.2.3.4")
    rows = {locks.bucket(f"jobs:adresse:10.0.{n // 256}.{n % 256}") for n in range(2000)}
    assert 1500 < len(rows) <= locks.BUCKETS  # 2,000 addresses over 4,096 rows: about 1,600 distinct
