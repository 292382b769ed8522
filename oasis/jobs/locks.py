"""A limit that holds under concurrency: count, then insert, with nobody counting the same limit in between.

``with counted(name):`` opens a transaction whose first statement writes the limit's lock row: PostgreSQL locks that
row until the transaction ends, SQLite takes its one writer lock (the first statement of the transaction, so the
counts that follow read what the previous holder committed). Threads of one process also take a lock per name first
(SQLite's in-memory database of the tests locks tables without waiting).

A name's row is one of ``BUCKETS`` (chosen by the name's hash): limits named after every address or e-mail met keep a
table of at most that many rows, and two names that share a row only wait for each other's count, a few
milliseconds.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from oasis.jobs.models import Verrou

BUCKETS = 4096
_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _thread_lock(key: str) -> threading.Lock:
    with _guard:
        if len(_locks) > 10_000:
            _locks.clear()
        return _locks.setdefault(key, threading.Lock())


def bucket(name: str) -> str:
    """The lock row of the limit ``name``: one of ``BUCKETS``."""
    return f"{int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % BUCKETS:04x}"


@contextmanager
def counted(*names: str) -> Iterator[None]:
    """A transaction in which the limits named (e.g. ``"jobs:adresse:1.2.3.4"``) are counted and written by one
    request at a time, across threads and processes."""
    keys = sorted({bucket(name) for name in names})  # one order: no deadlock
    locks = [_thread_lock(key) for key in keys]
    for lock in locks:
        lock.acquire()
    try:
        for key in keys:  # under the threads' locks too: an in-memory SQLite refuses a second writer at once
            Verrou.objects.get_or_create(key=key)
        with transaction.atomic():
            for key in keys:
                Verrou.objects.filter(key=key).update(taken_at=timezone.now())
            yield
    finally:
        for lock in reversed(locks):
            lock.release()
