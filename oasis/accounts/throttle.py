"""Login throttling.

A username is locked after ``MAX_FAILURES_PER_USER`` failures; an address only after ``MAX_FAILURES_PER_ADDRESS``
(an office behind one address must not be locked out by one person's typos, but a brute force across accounts is).
Both locks last ``LOCKOUT_SECONDS``.
"""

from __future__ import annotations

from django.core.cache import cache

MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 50
LOCKOUT_SECONDS = 15 * 60


def _user_key(username: str) -> str:
    return f"login-failures:user:{username.strip().lower()}"


def _address_key(address: str) -> str:
    return f"login-failures:ip:{address}"


def is_locked(username: str, address: str) -> bool:
    return (cache.get(_user_key(username)) or 0) >= MAX_FAILURES_PER_USER or (
        cache.get(_address_key(address)) or 0
    ) >= MAX_FAILURES_PER_ADDRESS


def record_failure(username: str, address: str) -> None:
    for key in (_user_key(username), _address_key(address)):
        cache.add(key, 0, LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOCKOUT_SECONDS)


def reset(username: str, address: str) -> None:
    cache.delete(_user_key(username))
