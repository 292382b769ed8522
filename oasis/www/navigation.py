"""The header's menu and identity block: what the signed-in user is, and only the sections their role may open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.notifications.models import Notification

# Roles that see projects (oasis.projects.perms.visible_projects gives the others nothing).
PROJECT_ROLES = frozenset(
    {
        Role.ADMINISTRATEUR,
        Role.DEPARTEMENT,
        Role.ARS,
        Role.ARS_DD,
        Role.CPAM,
        Role.COLLECTIVITE,
        Role.URPS,
        Role.ORDRE,
        Role.PREFECTURE,
        Role.PORTEUR,
    }
)
# Roles that may see sessions of the comité régional de sélection (oasis.committees.services.visible_sessions).
COMMITTEE_ROLES = frozenset(
    {Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.ARS, Role.ARS_DD, Role.CPAM, Role.URPS, Role.ORDRE, Role.PREFECTURE}
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _items(request: HttpRequest, role: str | None) -> list[NavItem]:
    entries: list[tuple[str, str, str]] = [
        ("Territoires", reverse("home"), "/territoires/"),
        ("Carte", reverse("map"), reverse("map")),
        ("Implantation", reverse("planning"), reverse("planning")),
        ("Observatoire", reverse("observatory"), reverse("observatory")),
        ("S'installer", reverse("portal"), reverse("portal")),
    ]
    if role in PROJECT_ROLES:
        entries.append(("Projets", reverse("projects"), reverse("projects")))
    if role in COMMITTEE_ROLES:
        entries.append(("Comités", reverse("committees"), reverse("committees")))
    if role is not None and role != Role.PORTEUR:  # a porteur's account opens their project, nothing else
        label = "Mon dossier et offres" if role == Role.PROFESSIONNEL else "Recrutement"
        entries.append((label, reverse("recruitment"), "/recrutement/"))
    entries.append(("Sources", reverse("sources"), reverse("sources")))
    path = request.path
    current = [prefix for _, url, prefix in entries if path == url or (prefix != "/" and path.startswith(prefix))]
    longest = max(current, key=len) if current else None
    return [NavItem(label, url, prefix == longest) for label, url, prefix in entries]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: `nav.items` (menu), `nav.role_label` and `nav.scope_label` (who is signed in, where),
    `nav.unread` (their unread notifications)."""
    role = role_of(getattr(request, "user", None))
    profile = getattr(getattr(request, "user", None), "profile", None) if role else None
    return {
        "nav": {
            "items": _items(request, role),
            "role_label": Role(role).label if role else "",
            "scope_label": profile.scope_label if profile is not None else "",
            "unread": Notification.objects.filter(recipient_id=request.user.pk).unread().count() if role else 0,
        }
    }
