"""Every page, public and for each role, on a phone (390 × 844) and a laptop (1366 × 900): axe-core finds no serious
or critical violation, nothing scrolls sideways, and a screenshot of each is kept in var/test-artifacts/pages/."""

from __future__ import annotations

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from oasis.accounts.enums import Role
from oasis.committees.services import SessionData, add_to_agenda, create_session
from oasis.projects import documents
from oasis.projects import projet_de_sante as pds
from oasis.projects.models import ProjectGuest
from oasis.projects.services import add_comment, add_member
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from tests.committees.conftest import file_project
from tests.projects.conftest import PASSWORD, make_user
from tests.recruitment.conftest import cast, project, student, vienne_medecine  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]

VIEWPORTS = {"telephone": {"width": 390, "height": 844}, "ordinateur": {"width": 1366, "height": 900}}
BLOCKING = {"serious", "critical"}
# axe's experimental rule too: a control whose name does not hold its visible text (the header's notification count).
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}

PUBLIC_PAGES = [
    "/",
    "/?q=86100",
    "/territoires/region/75/",
    "/territoires/departement/86/",
    "/territoires/epci/200069854/",
    "/territoires/commune/86194/",
    "/territoires/departement/86/etat-des-lieux/",
    "/territoires/commune/86140/etat-des-lieux/",
    "/carte/",
    "/implantation/",
    "/implantation/?territoire=Vienne&sites=2",
    "/observatoire/",
    "/observatoire/region/75/",
    "/epci/",
    "/sources/",
    "/api/docs",
    "/accessibilite/",
    "/connexion/",
    "/installation/",
    "/installation/me-faire-connaitre/",
    "/installation/ou-m-installer/",
    "/installation/ou-m-installer/?profession=generaliste&lieu=Loudun&lieu=Pays+Loudunais&lieu=Vienne",
    "/mot-de-passe-oublie/",
    "/mot-de-passe-oublie/envoye/",
    "/page-qui-n-existe-pas/",
]


@pytest.fixture
def world(cast, project, vienne_medecine, student):  # noqa: F811
    """One of each thing a page shows: the project tests' cast and project, the Vienne scheme, a student, a vacancy."""
    add_member(cast["vienne"], project, "generaliste", "associe-liberal", "Dr Martin")
    add_comment(cast["lussac"], project, "Le conseil municipal a voté l'achat du terrain.")  # notifications to list
    file_project(cast, project)
    session = create_session(
        cast["ars_na"],
        "75",
        SessionData(date=date(2027, 5, 12), copresident_ars="Mme Martin", copresident_prefecture="M. Durand"),
    )
    item = add_to_agenda(cast["ars_na"], session, project.pk)
    porteur = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=porteur, invited_by=cast["vienne"])
    texts = {section.key: f"Rubrique {section.titre} : texte de la SISA." for section in pds.SECTIONS}
    pds.save_draft(porteur, project, texts)
    pds.submit(porteur, project)
    pds.save_draft(porteur, project, dict(texts, horaires="Du lundi au samedi midi."))
    documents.request_document(cast["vienne"], project, "statuts", "Statuts de la SISA", None)
    vacancy = create_vacancy(
        cast["vienne"], VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie de Chauvigny")
    )
    users = {
        "departement": cast["vienne"],
        "ars": cast["ars_na"],
        "collectivite": cast["lussac"],
        "professionnel": cast["medecin"],
        "porteur": porteur,
    }
    return {
        "users": users,
        "project": project,
        "scheme": vienne_medecine,
        "candidate": student,
        "vacancy": vacancy,
        "committee": [f"/comites/{session.pk}/", f"/comites/{session.pk}/dossiers/{item.pk}/", "/comites/"],
    }


ACCOUNT_PAGES = ["/compte/", "/compte/mot-de-passe/"]


def _pages_for(role: str, world: dict) -> list[str]:
    return [*ACCOUNT_PAGES, f"/installation/postes/{world['vacancy'].pk}/", *_role_pages(role, world)]


def _role_pages(role: str, world: dict) -> list[str]:
    p, c, v, s = world["project"].pk, world["candidate"].pk, world["vacancy"].pk, world["scheme"].pk
    project_pages = [
        f"/projets/{p}/",
        f"/projets/{p}/partenaires/",
        f"/projets/{p}/financement/",
        f"/projets/{p}/aci/",
        f"/projets/{p}/fir/",
        f"/projets/{p}/budget/",
        f"/projets/{p}/documents/",
        f"/projets/{p}/projet-de-sante/",
        f"/projets/{p}/projet-de-sante/v1/",
        "/projets/",
        "/projets/tableau-de-bord/",
    ]
    if role == "departement":
        return [
            *project_pages,
            *world["committee"],
            "/projets/nouveau/",
            "/recrutement/",
            "/recrutement/contact-installation/",
            "/recrutement/candidats/",
            f"/recrutement/candidats/{c}/",
            f"/recrutement/candidats/{c}/modifier/",
            "/recrutement/candidats/nouveau/",
            "/recrutement/postes/",
            f"/recrutement/postes/{v}/",
            "/recrutement/postes/nouveau/",
            "/recrutement/dispositifs/",
            f"/recrutement/dispositifs/{s}/",
            "/recrutement/campagnes/",
            "/projets/outils-financiers/",
            "/projets/outils-financiers/nouveau/",
        ]
    if role == "ars":
        return [
            *project_pages,
            *world["committee"],
            "/comites/nouveau/",
            "/cahiers-des-charges/",
            "/cahiers-des-charges/75/",
            "/cahiers-des-charges/75/centre-de-sante/",
            "/cahiers-des-charges/75/fir/",
            "/projets/nouveau/",
            "/recrutement/postes/",
        ]
    if role == "collectivite":
        return [*project_pages, "/cahiers-des-charges/75/", "/recrutement/postes/"]
    if role == "porteur":
        return [*project_pages, f"/projets/{p}/projet-de-sante/v2/", f"/projets/{p}/projet-de-sante/?diagnostic=1"]
    return ["/recrutement/postes/", "/recrutement/dispositifs/"]


def _login(page, base_url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()


def _visit(page, url: str, shot: str, artifacts) -> list[str]:  # type: ignore[no-untyped-def]
    """Problems found on one page on a phone, then on a laptop: the page is loaded once at the phone's size, checked,
    then widened to the laptop's (the style sheets and the DSFR's scripts follow the window's size, as when a user
    turns a tablet) and checked again — one load of each page instead of one per screen size."""
    page.set_viewport_size(VIEWPORTS["telephone"])
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems = []
    for viewport, size in VIEWPORTS.items():
        if viewport != "telephone":
            page.set_viewport_size(size)
        problems += [f"[{viewport}] {problem}" for problem in _check(page, url, f"{viewport}-{shot}", artifacts)]
    return problems


def _check(page, url: str, shot: str, artifacts) -> list[str]:  # type: ignore[no-untyped-def]
    """Problems found on the page shown: axe's serious and critical violations, and a page wider than the screen."""
    problems = []
    results = Axe().run(page, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{url}: axe {violation['impact']} {violation['id']} — {violation['help']} — {targets}")
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > client:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
                 document.documentElement.clientWidth + 1 && !e.closest('.fr-table__content, .board, .leaflet-container'))
                 .slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
        )
        problems.append(f"{url}: {scroll} px de large pour un écran de {client} px ({wide})")
    lang = page.evaluate("document.documentElement.lang")
    if lang != "fr":
        problems.append(f"{url}: lang={lang!r}")
    page.screenshot(path=artifacts / "pages" / f"{shot}.png", full_page=False)
    return problems


def test_every_page_is_accessible_and_fits_the_screen(live_server, browser, world, artifacts):
    (artifacts / "pages").mkdir(exist_ok=True)
    problems: list[str] = []
    for role in ("public", "departement", "ars", "collectivite", "professionnel", "porteur"):
        context = browser.new_context(locale="fr-FR", viewport=VIEWPORTS["telephone"])
        page = context.new_page()
        if role != "public":
            _login(page, live_server.url, world["users"][role].email)
        urls = PUBLIC_PAGES if role == "public" else _pages_for(role, world)
        for url in urls:
            shot = f"{role}-{re.sub(r'[^a-z0-9]+', '-', url.lower()).strip('-') or 'accueil'}"
            problems += _visit(page, live_server.url + url, shot, artifacts)
        context.close()
    assert not problems, "\n".join(problems)


ADMIN_PAGES = [
    "/admin/",
    "/admin/accounts/profile/",
    "/admin/accounts/profile/add/",
    "/admin/django_tasks_database/dbtaskresult/",
]


def test_the_administration_is_accessible(live_server, browser, artifacts):
    """The administration (Django's, in the site's look), from its login page on."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("root@oasis.test", "root@oasis.test", PASSWORD, is_staff=True, is_superuser=True)
    (artifacts / "pages").mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR", viewport=VIEWPORTS["telephone"])
    page = context.new_page()
    problems = _visit(page, live_server.url + "/admin/login/", "admin-connexion", artifacts)
    page.get_by_label("Nom d’utilisateur").fill("root@oasis.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Connexion").click()
    for url in ADMIN_PAGES:
        problems += _visit(page, live_server.url + url, re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-"), artifacts)
    context.close()
    assert not problems, "\n".join(problems)
