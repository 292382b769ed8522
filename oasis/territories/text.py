"""Text normalisation for accent- and case-insensitive search."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’`_.,/()]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def search_key(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a name: « Saint-Étienne » → « saint etienne »."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    words = [word for word in _SEPARATORS.split(plain) if word]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
