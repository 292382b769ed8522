"""No lost update: a form carries what it read, and a save over a record changed since is refused, nothing lost.

An edit form carries, in one hidden field, a digest of each field it edits as it was read (``read_token``). The
service that saves locks the row, and compares the stored fields with those digests (``refuse_if_changed``): if
someone else changed one of them since, the save is refused with ``EditConflict`` — who, when, and, field by field,
their value beside the user's input, which the page keeps in its form to merge and save again.

A digest of the fields as read, rather than a version column: no migration on each model, and a form that edits some
fields of a record is not refused because another page changed fields it does not show. The one blind spot is a
field changed and changed back in between, which loses nothing.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from oasis.audit.models import AuditEvent
from oasis.formatting import date_longue, fr_number

MODIFIED_MEANWHILE = (
    "Modifié par {by} le {at} entre-temps : votre saisie est gardée dans le formulaire, comparez-la avec la version "
    "enregistrée puis enregistrez à nouveau."
)
SOMEONE = "une autre personne"


def canonical(value: Any) -> str:
    """The text a value is compared by: amounts without trailing zeros (« 1000.00 » and « 1000 » are one amount),
    dates in ISO form, records by key, texts without surrounding blanks and with Unix line ends."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip().replace("\r\n", "\n")


def digest(value: Any) -> str:
    """A short fingerprint of a value as read (128 bits of SHA-256 of its canonical text)."""
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:32]


def read_token(values: Mapping[str, Any]) -> str:
    """The hidden field's value: each edited field's name and the digest of its value as read."""
    return ";".join(f"{name}:{digest(value)}" for name, value in values.items())


def parse_token(token: str | None) -> dict[str, str]:
    """The digests a form carried back; a missing or malformed token reads as no digest at all."""
    read: dict[str, str] = {}
    for part in (token or "").split(";"):
        name, _, value = part.partition(":")
        if name and value:
            read[name] = value
    return read


def display_name(user: Any) -> str:
    if user is None:
        return SOMEONE
    return str(user.get_full_name() or user.email or user.username)


def moment(at: datetime | None) -> str:
    """« 7 décembre 2026 à 17 h 05 », in the site's time zone."""
    if at is None:
        return "—"
    local = timezone.localtime(at)
    return f"{date_longue(local)} à {local.hour} h {local.minute:02d}"


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side comparison: their line, the user's line, and whether they differ."""

    theirs: str
    yours: str
    differs: bool


def side_by_side(theirs: str, yours: str) -> list[Row]:
    """The two texts line by line, aligned on what they share (difflib), differing lines marked."""
    left, right = theirs.splitlines(), yours.splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(Row(line, line, False) for line in left[i1:i2])
            continue
        a, b = left[i1:i2], right[j1:j2]
        for k in range(max(len(a), len(b))):
            rows.append(Row(a[k] if k < len(a) else "", b[k] if k < len(b) else "", True))
    return rows


@dataclass(frozen=True)
class FieldChange:
    """A field changed by someone else since the form was read: its label, their value, the user's input."""

    name: str
    label: str
    theirs: str
    yours: str


class EditConflict(ValueError):
    """Someone else saved the record since the form was read: nothing was written."""

    def __init__(self, by: str, at: datetime | None, changes: list[FieldChange], token: str = "") -> None:
        """``token``: the read token of the stored record, which the form carries again so that the user's next save,
        made knowing the other's change, is accepted."""
        self.by, self.at, self.changes, self.token = by, at, changes, token
        super().__init__(MODIFIED_MEANWHILE.format(by=by, at=moment(at)))


def last_writer(events: Iterable[AuditEvent]) -> tuple[str, datetime | None]:
    """Who made the newest of these audit events, and when."""
    for event in events:
        return display_name(event.user), event.at
    return SOMEONE, None


def refuse_if_changed(
    token: str | None,
    stored: Mapping[str, Any],
    yours: Mapping[str, Any],
    labels: Mapping[str, str],
    events: Iterable[AuditEvent],
    choices: Mapping[str, Iterable[tuple[Any, str]]] | None = None,
) -> None:
    """Raise ``EditConflict`` if a stored field differs from what the form read (``token``); the caller holds the row
    locked. ``events``: the audit events of changes to the record, newest first, which name who changed it. Without a
    token (a client that read nothing) there is nothing to compare. ``choices``: the labels of coded fields' values."""
    read = parse_token(token)
    changed = [name for name, value in stored.items() if name in read and digest(value) != read[name]]
    if not changed:
        return
    by, at = last_writer(events)
    names = {field: dict(pairs) for field, pairs in (choices or {}).items()}

    def shown(name: str, value: Any) -> str:
        return names[name].get(value, str(value)) if name in names and value in names[name] else _shown(value)

    raise EditConflict(
        by,
        at,
        [FieldChange(name, labels.get(name, name), shown(name, stored[name]), shown(name, yours.get(name))) for name in changed],
        read_token(stored),
    )


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_shown(item) for item in value) or "(vide)"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date):
        return date_longue(value)
    if isinstance(value, Decimal):  # « 1 200 000 », « 950,50 »
        return fr_number(value, 0 if value == value.to_integral_value() else 2)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return canonical(value) or "(vide)"


def refuse_if_record_changed(
    queryset: models.QuerySet[Any],
    pk: Any,
    token: str | None,
    edited: Callable[[Any], Mapping[str, Any]],
    yours: Mapping[str, Any],
    labels: Mapping[str, str],
    events: Iterable[AuditEvent],
    choices: Mapping[str, Iterable[tuple[Any, str]]] | None = None,
) -> None:
    """``refuse_if_changed`` for a page that saves through a service it does not change: called inside the transaction
    that then saves, it locks the row (``edited``: the fields the form edits, read from the stored record)."""
    stored = queryset.select_for_update().filter(pk=pk).first()
    if stored is not None:
        refuse_if_changed(token, edited(stored), yours, labels, events, choices)
