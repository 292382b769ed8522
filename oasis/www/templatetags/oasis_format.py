"""French number formatting for figures (thin space for thousands, comma for decimals, « — » when unknown)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from oasis.formatting import date_longue, fr_number, montant, taille
from oasis.territories.services import territory_names

register = template.Library()


register.filter("fr_number", fr_number)
register.filter("date_longue", date_longue)
register.filter("montant", montant)
register.filter("taille", taille)
register.filter("territory_names", territory_names)


@register.filter
def signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value).replace("-", "−")


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """A share (0–1) as a French percentage: 0.254 → « 25 % »."""
    if value is None:
        return "—"
    return f"{100 * float(value):.{int(digits)}f}".replace(".", ",") + "\u202f%"


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")


@register.filter
def split(value: str, separator: str = ",") -> list[str]:
    return value.split(separator)


@register.inclusion_tag("www/_breadcrumb.html")
def fil_ariane(*parts: str) -> dict[str, object]:
    """DSFR breadcrumb: ``{% fil_ariane "Projets" url_projets projet.nom %}`` — label, URL pairs, then the current page."""
    *pairs, current = parts
    links = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
    return {"links": links, "current": current}


PROJECT_TABS = (
    ("detail", "Fiche et étapes", "project_detail"),
    ("projet_de_sante", "Projet de santé", "projet_de_sante"),
    ("partners", "Partenaires et actions", "project_partners"),
    ("funding", "Plan de financement", "project_funding"),
    ("aci", "Simulateur ACI", "project_aci"),
    ("fir", "Dossier FIR", "project_fir"),
    ("budget", "Budget de fonctionnement", "project_budget"),
    ("documents", "Documents", "project_documents"),
)


@register.simple_tag
def rubriques_projet() -> tuple[tuple[str, str, str], ...]:
    """The project's sections: (tab key, label, URL name)."""
    return PROJECT_TABS


@register.filter
def rubrique_label(tab: str) -> str:
    return next((label for key, label, _ in PROJECT_TABS if key == tab), "")


# DSFR badge colour of each status: done (success), waiting on someone (warning), stopped (error), under way (info).
BADGE_COLOURS = {
    "honore": "success",
    "installe": "success",
    "pourvu": "success",
    "valide": "success",
    "ouvert": "new",
    "a-installer": "warning",
    "a-revoir": "warning",
    "suspendu": "warning",
    "rompu": "error",
    "refuse": "error",
    "abandon": "error",
    "abandonne": "error",
    "clos": "error",
}


@register.simple_tag
def statut(value: str, label: str) -> str:
    """A status as a DSFR badge: ``{% statut a.status a.get_status_display %}``."""
    colour = BADGE_COLOURS.get(str(value), "info")
    return format_html('<span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--{}">{}</span>', colour, label)
