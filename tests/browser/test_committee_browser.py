"""A full session of the comité régional de sélection in the browser: the ARS creates it with its members, puts two
filed projects on the agenda, convenes it, is refused the validation of a non-conforming project without derogation,
records the decisions, is refused their application before the session's day, moves the session to today, applies
them, and downloads the minutes."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OFFICER_PASSWORD
from tests.committees.conftest import conforming, file_project
from tests.projects.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national")]


def submit(page, locator) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        locator.click()


def test_a_whole_committee_session(live_server, page, artifacts):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from oasis.accounts.enums import Role
    from oasis.accounts.models import Profile
    from oasis.projects.enums import Stage
    from oasis.projects.models import Project
    from oasis.projects.services import NewProject, create_project

    vienne = make_user("cm@vienne.test", Role.DEPARTEMENT, departement_id="86")
    cast = {"vienne": vienne}
    make_user("pref@vienne.test", Role.PREFECTURE, region_id="75", organisation="Préfecture de la Vienne")
    make_user("urps@na.test", Role.URPS, region_id="75", organisation="URPS médecins libéraux")
    ars = get_user_model().objects.create_user(username="ars@na.test", email="ars@na.test", password=OFFICER_PASSWORD)
    Profile.objects.create(user=ars, role=Role.ARS, region_id="75", organisation="ARS Nouvelle-Aquitaine")

    def new(nom: str, commune: str) -> Project:
        data = NewProject(nom, "msp", "sisa", "SISA", commune, [commune], "commune", commune)
        return file_project(cast, create_project(vienne, data))

    lussac = new("Maison de santé de Lussac", "86140")
    chauvigny = conforming(cast, new("Maison de santé de Chauvigny", "86070"))

    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("ars@na.test")
    page.get_by_label("Mot de passe").fill(OFFICER_PASSWORD)
    submit(page, page.get_by_role("button", name="Se connecter"))
    submit(page, page.get_by_role("link", name="Comités"))
    submit(page, page.get_by_role("link", name="Nouvelle séance"))
    page.get_by_label("Date de la séance").fill("2027-05-12")
    page.get_by_label("Lieu").fill("ARS, Poitiers")
    page.get_by_label("Co-présidence pour l'ARS (nom, fonction)").fill("Mme Martin, directrice de l'offre de soins")
    page.get_by_label("Co-présidence pour la Préfecture (nom, fonction)").fill("M. Durand, secrétaire général")
    page.locator("label", has_text="Préfecture de la Vienne").click()  # the DSFR draws the box on the label
    page.locator("label", has_text="URPS médecins libéraux").click()
    page.get_by_label("Autres membres, un par ligne").fill("Conseil régional")
    submit(page, page.get_by_role("button", name="Créer la séance"))
    assert "Séance créée" in page.locator("[data-message=success]").inner_text()
    for project in (lussac, chauvigny):
        page.get_by_label("Projet à inscrire (projet de santé déposé)").select_option(str(project.pk))
        submit(page, page.get_by_role("button", name="Inscrire"))
    submit(page, page.locator("#convoquer"))
    assert page.locator("#etat-seance").text_content() == "Convoquée"
    page.screenshot(path=artifacts / "comite-convoque.png", full_page=True)

    first = page.locator(f"article:has-text('{lussac.nom}')")
    first.get_by_label("Décision").select_option(Stage.VALIDE)
    first.get_by_label("Motifs (obligatoire)").fill("Projet attendu par le territoire")
    submit(page, first.get_by_role("button", name="Enregistrer la décision"))
    assert "ne satisfait pas le cahier des charges" in page.locator("#erreur").inner_text()
    first = page.locator(f"article:has-text('{lussac.nom}')")
    first.get_by_label("Décision").select_option(Stage.A_REVOIR)
    first.get_by_label("Motifs (obligatoire)").fill("Équipe à compléter")
    submit(page, first.get_by_role("button", name="Enregistrer la décision"))
    second = page.locator(f"article:has-text('{chauvigny.nom}')")
    second.get_by_label("Décision").select_option(Stage.VALIDE)
    second.get_by_label("Motifs (obligatoire)").fill("Équipe complète, projet conforme")
    submit(page, second.get_by_role("button", name="Enregistrer la décision"))
    submit(page, page.locator("#appliquer"))  # the session is on 12 May 2027: not before
    assert "ne peuvent être appliquées qu'à partir de ce jour" in page.locator("#erreur").inner_text()
    assert Project.objects.get(pk=lussac.pk).stage == Stage.COMITE
    today = timezone.localdate()
    page.get_by_label("Nouvelle date de la séance").fill(today.isoformat())  # the committee met earlier than planned
    submit(page, page.get_by_role("button", name="Changer la date de la séance"))
    assert "Date de la séance changée" in page.locator("[data-message=success]").inner_text()
    submit(page, page.locator("#appliquer"))
    assert "Décisions appliquées aux 2 projet(s)" in page.locator("[data-message=success]").inner_text()
    assert Project.objects.get(pk=lussac.pk).stage == Stage.A_REVOIR
    assert Project.objects.get(pk=chauvigny.pk).stage == Stage.VALIDE
    page.screenshot(path=artifacts / "comite-tenu.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Procès-verbal (PDF)").click()
    assert download.value.suggested_filename == f"proces-verbal-comite-{today:%Y-%m-%d}.pdf"
