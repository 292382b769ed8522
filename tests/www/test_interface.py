"""What every page says around its content: who is signed in, the menu of their role, a message after each save,
labels instead of internal codes, and date inputs a browser keeps."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from oasis.audit.labels import ACTION_LABELS
from oasis.projects.forms import NextActionForm
from tests.projects.conftest import cast, project  # noqa: F401

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[str]:
    nav = html.split('id="navigation-principale"')[1].split("</nav>")[0]
    return [unescape(label) for label in re.findall(r'class="fr-nav__link"[^>]*>([^<]+)</a>', nav)]


PUBLIC_MENU = ["Territoires", "Carte", "Implantation", "Observatoire", "S'installer"]
INSTRUCTING_MENU = [*PUBLIC_MENU, "Projets", "Comités", "Recrutement", "Sources"]


@pytest.mark.parametrize(
    ("who", "menu"),
    [
        (None, [*PUBLIC_MENU, "Sources"]),
        ("vienne", INSTRUCTING_MENU),
        ("ars_na", INSTRUCTING_MENU),
        ("lussac", [*PUBLIC_MENU, "Projets", "Recrutement", "Sources"]),
        ("medecin", [*PUBLIC_MENU, "Mon dossier et offres", "Sources"]),
    ],
)
def test_the_menu_shows_what_the_role_may_open(client, cast, who, menu):  # noqa: F811
    if who:
        client.force_login(cast[who])
    assert _menu(client.get("/").content.decode()) == menu


def test_the_header_says_who_is_signed_in_with_which_role_and_where(client, cast):  # noqa: F811
    client.force_login(cast["lussac"])
    html = client.get("/").content.decode()
    identity = unescape(re.search(r'id="utilisateur"[^>]*>([^<]+)<', html).group(1))
    assert identity == "maire@lussac.test · Élu(e) ou agent d'une commune ou d'un EPCI (Lussac-les-Châteaux)"


def test_the_current_section_is_marked(client):
    html = client.get("/carte/").content.decode()
    assert re.search(r'href="/carte/" aria-current="page">Carte<', html)


def test_a_save_is_confirmed_on_the_next_page(client, cast, project):  # noqa: F811
    client.force_login(cast["vienne"])
    response = client.post(
        reverse("project_next_action", args=[project.pk]), {"next_action": "Visite", "next_action_due": "2026-12-15"}, follow=True
    )
    assert 'data-message="success"' in response.content.decode()
    assert "Prochaine action enregistrée." in response.content.decode()


def test_the_due_date_input_is_fed_an_iso_value_so_saving_again_keeps_it(client, cast, project):  # noqa: F811
    """Regression: the input showed « 15/12/2026 », which <input type=date> drops; saving the form erased the date."""
    client.force_login(cast["vienne"])
    client.post(reverse("project_next_action", args=[project.pk]), {"next_action": "Visite", "next_action_due": "2026-12-15"})
    html = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    field = re.search(r'<input[^>]*name="next_action_due"[^>]*>', html).group(0)
    assert 'type="date"' in field and 'value="2026-12-15"' in field
    assert "15 décembre 2026" in html
    form = NextActionForm(initial={"next_action_due": dt.date(2027, 6, 1)})
    assert 'value="2027-06-01"' in str(form["next_action_due"])


def test_every_widget_wears_the_design_system_class(client, cast):  # noqa: F811
    client.force_login(cast["vienne"])
    html = client.get(reverse("project_create")).content.decode()
    for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html.split('id="contenu"')[1]):
        if 'type="hidden"' in control or 'type="checkbox"' in control or 'type="radio"' in control:
            continue
        assert re.search(r'class="[^"]*fr-(input|select|upload)', control), control


def test_the_project_journal_reads_in_words(client, cast, project):  # noqa: F811
    client.force_login(cast["vienne"])
    html = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    journal = html.split('id="table-journal"')[1].split("</table>")[0]
    assert "Création du projet" in journal and "projet.creation" not in journal


def test_every_audited_action_has_a_label():
    root = Path(__file__).resolve().parents[2] / "oasis"
    pattern = re.compile(r'"((?:projet|candidat|convention|poste|dispositif|campagne|compte|comite)\.[a-z_.]+)"')
    written = {match for path in root.rglob("*.py") for match in pattern.findall(path.read_text()) if not match.endswith(".")}
    assert written, "the audit actions are written as string literals"
    assert written <= set(ACTION_LABELS), sorted(written - set(ACTION_LABELS))


def test_the_accessibility_statement_is_linked_from_every_page(client):
    html = client.get("/").content.decode()
    assert 'href="/accessibilite/"' in html
    statement = client.get("/accessibilite/").content.decode()
    assert "Déclaration d'accessibilité" in statement and "partiellement conforme" in statement
