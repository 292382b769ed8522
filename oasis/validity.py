"""When an aid may be signed or requested: its opening day, its last day and, once closed, what replaced it.

Shared by the recruitment aid schemes (``oasis.recruitment``) and the funding catalogue's tools (``oasis.projects``):
an aid is open on a day from its opening day (``ouvert_le``, empty: since before OASIS knew it) to its last day
inclusive (``ouvert_jusqu_au``, empty: no closing day known); the day after, it is « fermé ».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q

from oasis.formatting import date_longue

CLOSING_BEFORE_OPENING = "La date de fin précède la date d'ouverture."


@dataclass(frozen=True)
class Validity:
    """Whether an aid is open on a day, and the words that say so."""

    open: bool
    state: str  # « ouvert », « fermé », « pas encore ouvert »
    label: str  # « ouvert depuis le 1er avril 2021 », « fermé depuis le 1er janvier 2026 — remplacé par … »


def validity(ouvert_le: date | None, ouvert_jusqu_au: date | None, remplace_par: str, on: date) -> Validity:
    if ouvert_le is not None and on < ouvert_le:
        return Validity(False, "pas encore ouvert", f"ouvre le {date_longue(ouvert_le)}")
    if ouvert_jusqu_au is not None and on > ouvert_jusqu_au:
        label = f"fermé depuis le {date_longue(ouvert_jusqu_au + timedelta(days=1))}"
        if remplace_par:
            label += f" — remplacé par {remplace_par}"
        return Validity(False, "fermé", label)
    parts = []
    if ouvert_le is not None:
        parts.append(f"depuis le {date_longue(ouvert_le)}")
    if ouvert_jusqu_au is not None:
        parts.append(f"jusqu'au {date_longue(ouvert_jusqu_au)} inclus")
    return Validity(True, "ouvert", " ".join(["ouvert", *parts]))


def open_on(on: date, prefix: str = "") -> Q:
    """The rows open on ``on`` (``prefix``: the path to the aid, e.g. ``"scheme__"``)."""
    return (Q(**{f"{prefix}ouvert_le__isnull": True}) | Q(**{f"{prefix}ouvert_le__lte": on})) & (
        Q(**{f"{prefix}ouvert_jusqu_au__isnull": True}) | Q(**{f"{prefix}ouvert_jusqu_au__gte": on})
    )


def check_dates(ouvert_le: date | None, ouvert_jusqu_au: date | None) -> None:
    if ouvert_le is not None and ouvert_jusqu_au is not None and ouvert_jusqu_au < ouvert_le:
        raise ValueError(CLOSING_BEFORE_OPENING)


class ValidityFields(models.Model):
    """The three fields of an aid's validity (abstract: each aid model has its own columns)."""

    ouvert_le = models.DateField(
        "ouvert à partir du", null=True, blank=True, help_text="premier jour où l'aide peut être demandée ou signée"
    )
    ouvert_jusqu_au = models.DateField(
        "ouvert jusqu'au (inclus)",
        null=True,
        blank=True,
        help_text="dernier jour où l'aide peut être demandée ou signée ; vide : sans date de fin connue",
    )
    remplace_par = models.CharField(
        "remplacé par", max_length=300, blank=True, help_text="le dispositif qui lui succède, dit aux usagers une fois fermé"
    )

    class Meta:
        abstract = True

    def validity(self, on: date) -> Validity:
        return validity(self.ouvert_le, self.ouvert_jusqu_au, self.remplace_par, on)

    def is_open(self, on: date) -> bool:
        return self.validity(on).open


class AidForm(forms.ModelForm):  # type: ignore[type-arg]
    """What the forms of dated aids with territories share (aid schemes, funding tools): the territories typed by name
    and kept as refs, and a last day that is not before the opening day."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["territoires"] = ",".join(self.instance.territoires)

    def clean_territoires(self) -> list[str]:
        raw = self.cleaned_data.get("territoires") or ""
        return [ref for ref in raw.split(",") if ref]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("ouvert_le"), cleaned.get("ouvert_jusqu_au")
        if start and end and end < start:
            self.add_error("ouvert_jusqu_au", CLOSING_BEFORE_OPENING)
        return cleaned
