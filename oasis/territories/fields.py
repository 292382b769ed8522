"""Territory fields that take a name, not a code: « Poitiers », « 86100 » or « Poitiers (86194) » all give 86194.

The page's autocomplete (search.js, ``data-territoire``) fills « Nom (code) »; without it, a typed name, postal
code or code is resolved the same way, and an unknown or ambiguous entry says what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from django import forms

from oasis.territories.services import (
    NIVEAU_LABELS,
    POSTAL_TOWN_RANK,
    PREFIXES,
    Territory,
    TerritoryNotFound,
    get_territory,
    parse_territory_ref,
    search,
)

ALL_LEVELS = ("region", "departement", "epci", "commune")
_TRAILING_CODE = re.compile(r"\(([0-9AB]{2,9})\)\s*$", re.IGNORECASE)
EXACT_NAME_RANK = 1

UNKNOWN = (
    "« {text} » : aucun territoire de ce type ({levels}). Tapez le nom, le code postal ou le code, puis choisissez dans la liste."
)
AMBIGUOUS = "« {text} » désigne plusieurs territoires : {choices}. Choisissez dans la liste ou précisez le code."
WRONG_LEVEL = "« {text} » est un(e) {found} ; attendu : {levels}."


def _levels_text(niveaux: Collection[str]) -> str:
    return " ou ".join(NIVEAU_LABELS[n].lower() for n in niveaux)


def resolve_territory(text: str, niveaux: Collection[str] = ALL_LEVELS) -> Territory:
    """The territory a user meant, of one of ``niveaux``, or :class:`TerritoryNotFound` saying what was expected."""
    text = text.strip()
    if not text:
        raise TerritoryNotFound(UNKNOWN.format(text=text, levels=_levels_text(niveaux)))
    found: Territory | None = None
    prefix, _, _rest = text.partition(":")
    if prefix in PREFIXES:
        found = parse_territory_ref(text)
    elif (code := _TRAILING_CODE.search(text)) is not None:
        found = _by_code(code.group(1), niveaux)
    elif text.isdigit() and len(text) == 5:
        found = _five_digits(text, niveaux)
    else:
        found = _by_code(text, niveaux) if " " not in text else None
    if found is None:
        results = search(text, limit=6, niveaux=niveaux)
        best = [r for r in results if r.rank in (POSTAL_TOWN_RANK, 0)] or [r for r in results if r.rank == EXACT_NAME_RANK]
        if not results or (not best and len(results) > 1):
            if results:
                choices = ", ".join(f"{r.nom} ({r.code})" for r in results[:4])
                raise TerritoryNotFound(AMBIGUOUS.format(text=text, choices=choices))
            raise TerritoryNotFound(UNKNOWN.format(text=text, levels=_levels_text(niveaux)))
        chosen = (best or results)[0]
        # Several places of one kind with that very name (Saint-Martin) need a choice; a département and a commune
        # named Vienne do not: the larger, listed first, is meant.
        if (
            len(best) > 1
            and best[0].rank == EXACT_NAME_RANK
            and best[1].rank == EXACT_NAME_RANK
            and best[1].niveau == best[0].niveau
        ):
            choices = ", ".join(f"{r.nom} ({r.code})" for r in best[:4])
            raise TerritoryNotFound(AMBIGUOUS.format(text=text, choices=choices))
        found = get_territory(chosen.niveau, chosen.code)
    if found.niveau not in niveaux:
        raise TerritoryNotFound(
            WRONG_LEVEL.format(text=text, found=NIVEAU_LABELS[found.niveau].lower(), levels=_levels_text(niveaux))
        )
    return found


def _five_digits(text: str, niveaux: Collection[str]) -> Territory | None:
    """An INSEE code, or a postal code (its town); when the digits are both for two communes, the user must choose."""
    by_code = _by_code(text, niveaux)
    postal = [r for r in search(text, limit=6, niveaux=niveaux) if r.rank == POSTAL_TOWN_RANK]
    if by_code is not None and postal and postal[0].code != by_code.code:
        choices = f"{postal[0].nom} ({postal[0].code}, code postal {text}), {by_code.nom} ({by_code.code}, code INSEE {text})"
        raise TerritoryNotFound(AMBIGUOUS.format(text=text, choices=choices))
    return by_code


def _by_code(code: str, niveaux: Collection[str]) -> Territory | None:
    for niveau in niveaux:
        try:
            return get_territory(niveau, code)
        except TerritoryNotFound:
            continue
    return None


def display(territory: Territory) -> str:
    """« Poitiers (86194) »: what the autocomplete writes and the field reads back."""
    return f"{territory.nom} ({territory.code})"


class TerritoryField(forms.CharField):
    """A territory typed by name; cleans to its code (``as_ref=True``: to ``dep:86``, ``com:86194``…)."""

    multiple = False

    def __init__(self, *, niveaux: Collection[str] = ALL_LEVELS, as_ref: bool = False, **kwargs: Any) -> None:
        self.niveaux = tuple(niveaux)
        self.as_ref = as_ref
        kwargs.setdefault("max_length", 4000 if self.multiple else 200)
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-territoire": ",".join(self.niveaux), "autocomplete": "off"})
        if self.multiple:
            self.widget.attrs["data-multiple"] = "true"

    def _parts(self, text: str) -> list[str]:
        parts = re.split(r"[;,]", text) if self.multiple else [text]
        return [part.strip() for part in parts if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        """Codes as the user reads them back: « Poitiers (86194) » (several joined by « ; »)."""
        if not (isinstance(value, str) and value and "(" not in value):
            return value
        shown = []
        for part in self._parts(value):
            try:
                shown.append(display(resolve_territory(part, self.niveaux)))
            except TerritoryNotFound:
                shown.append(part)
        return " ; ".join(shown)

    def to_python(self, value: Any) -> str:
        resolved, errors = [], []
        for part in self._parts(super().to_python(value) or ""):
            try:
                territory = resolve_territory(part, self.niveaux)
            except TerritoryNotFound as error:
                errors.append(str(error))
                continue
            resolved.append(territory.ref if self.as_ref else territory.code)
        if errors:
            raise forms.ValidationError(" ".join(errors), code="territoire")
        return ",".join(resolved)


class TerritoryListField(TerritoryField):
    """Several territories typed by name, separated by « ; » or « , »; cleans to their codes (or refs) joined by « , »."""

    multiple = True
