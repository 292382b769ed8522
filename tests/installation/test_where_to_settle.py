"""« Où m'installer ? », anonymous: a sous-dense commune and a non sous-dense one, the aids that apply there and those
that do not, closed aids never shown as open, the comparison, the shared link, the one-page PDF, « autour de moi »,
« Me faire connaître » filled in, and the Département's contact entered once by its officers."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from oasis.audit.models import AuditEvent
from oasis.connectors.models import Aide
from oasis.installation.models import DepartementContact
from oasis.recruitment.models import PortalSignup
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from oasis.references.models import OfficialAplUnit
from oasis.verdicts.services import national_thresholds
from tests.recruitment.conftest import cast, make_scheme, project  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/installation/ou-m-installer/"
LOUDUN, POITIERS, CIVRAY = "86137", "86194", "86078"


def page(client, *places: str, profession: str = "generaliste"):  # type: ignore[no-untyped-def]
    response = client.get(URL, [("profession", profession), *(("lieu", place) for place in places)])
    return response, response.content.decode()


def section(html: str, element_id: str) -> str:
    """The text of the element with that id, up to the next heading or the list of aids that do not apply."""
    start = html.index(f'id="{element_id}"')
    ends = [index for index in (html.find("<h3", start), html.find('<details class="fr-mb-2w"', start + 1)) if index > 0]
    return html[start : min(ends)]


@pytest.fixture
def zone_scheme(cast):  # type: ignore[no-untyped-def]  # noqa: F811
    return make_scheme(
        "vienne-installation-zone",
        nom="Prime d'installation en zone sous-dense (Vienne)",
        kind="primo-installation",
        montant_mensuel=None,
        plafond=Decimal("15000"),
        zone_sous_dense=True,
        conditions="Installation libérale dans une commune sous-dense.",
    )


def test_the_official_apl_puts_loudun_under_and_poitiers_over_the_national_threshold():
    """The premise of the next tests, checked on the imported figures, not on the page."""
    selection, vivier = national_thresholds()
    value = dict(OfficialAplUnit.objects.filter(profession="generaliste").values_list("commune_id", "apl_moins_65"))
    assert value[LOUDUN] < selection and value[POITIERS] >= vivier


def test_a_sous_dense_commune_shows_its_verdict_structures_vacancies_and_every_aid(client, cast, zone_scheme):  # noqa: F811
    create_vacancy(cast["vienne"], VacancyData(commune=LOUDUN, profession="generaliste", mode="liberal", contact_nom="Mairie"))
    create_vacancy(cast["vienne"], VacancyData(commune=CIVRAY, profession="generaliste", mode="liberal", contact_nom="Mairie"))
    create_vacancy(cast["vienne"], VacancyData(commune=LOUDUN, profession="infirmier", mode="liberal", contact_nom="Mairie"))
    response, html = page(client, "Loudun")
    assert response.status_code == 200
    verdict = section(html, "lieu-1-verdict")
    assert ">sous-dense<" in verdict and "APL officielle de la DREES" in verdict
    assert "2022" in section(html, "lieu-1-apl")
    structures = section(html, "lieu-1-structures")
    assert "Maison de santé, Loudun</strong> — dans la commune" in structures
    assert "Maison de santé, Les Trois-Moutiers" in structures and "min en voiture" in structures
    openings = section(html, "lieu-1-postes")
    assert "Médecin généraliste à Loudun" in openings
    assert "Civray" not in openings  # over 45 minutes away, in another EPCI
    assert "Infirmier" not in openings
    aids = section(html, "lieu-1-aides")
    assert (
        "Prime d&#x27;installation en zone sous-dense (Vienne)" in aids
        and "<strong>Montant :</strong> jusqu&#x27;à 15\u202f000 € ·" in aids
    ), aids
    assert "Contrat d&#x27;engagement de service public (CESP)" in aids  # a national contract
    assert "Aides du Département" in aids and "Aides nationales" in aids
    # The 2016 contracts closed on 31 December 2025 (their replacement is shown instead), on both lists of the page.
    assert "(CAIM)" not in html and "(COSCOM)" not in html
    assert "Majoration du forfait médecin traitant" in aids
    # A contract whose amount is told in its conditions says so, never « — ».
    assert "<strong>Montant :</strong> —" not in aids and "<strong>Engagement :</strong> —" not in aids
    assert "<strong>Montant :</strong> voir les conditions" in aids


def test_a_non_sous_dense_commune_lists_the_zone_aid_as_not_applicable(client, cast, zone_scheme):  # noqa: F811
    response, html = page(client, "Poitiers (86194)")
    assert response.status_code == 200
    assert ">non sous-dense<" in section(html, "lieu-1-verdict")
    assert "Prime d&#x27;installation" not in section(html, "lieu-1-aides")
    refused = section(html, "lieu-1-aides-non")
    assert "Prime d&#x27;installation en zone sous-dense (Vienne)" in refused and "réservé aux zones sous-denses" in refused


def test_a_departement_counts_its_sous_dense_communes_and_lists_its_vacancies(client, cast, zone_scheme):  # noqa: F811
    create_vacancy(cast["vienne"], VacancyData(commune=CIVRAY, profession="generaliste", mode="liberal", contact_nom="Mairie"))
    response, html = page(client, "Vienne")
    assert response.status_code == 200
    selection, _ = national_thresholds()
    under = OfficialAplUnit.objects.filter(
        profession="generaliste", commune__departement_id="86", apl_moins_65__lt=selection
    ).count()
    assert f"{under} communes sous-denses sur" in section(html, "lieu-1-verdict")
    assert "Médecin généraliste à Civray" in section(html, "lieu-1-postes")
    assert "Prime d&#x27;installation en zone sous-dense (Vienne)" in section(html, "lieu-1-aides")


def test_closed_or_not_yet_open_aids_are_never_shown_as_open(client, cast):  # noqa: F811
    today = timezone.localdate()

    def aide(number: int, nom: str, **values: object) -> None:
        defaults = {
            "perimetre_echelle": "departement",
            "perimetre_code": "86",
            "perimetre": "Vienne",
            "pour_professionnels": True,
        }
        Aide.objects.create(
            identifiant=number,
            slug=f"aide-{number}",
            nom=nom,
            url=f"https://aides-territoires.beta.gouv.fr/aides/{number}/",
            financeurs=["Département de la Vienne"],
            **{**defaults, **values},
        )

    aide(1, "Aide ouverte jusqu'à aujourd'hui", date_limite=today)
    aide(2, "Aide close hier", date_limite=today - timedelta(days=1))
    aide(3, "Aide ouverte demain", date_ouverture=today + timedelta(days=1))
    aide(4, "Aide expirée à la synchronisation", statut="expiree")
    aide(5, "Aide de la Charente-Maritime", perimetre_code="17")
    aide(6, "Aide de la région", perimetre_echelle="region", perimetre_code="75", perimetre="Nouvelle-Aquitaine")
    aide(7, "Aide aux communes seulement", pour_professionnels=False)
    make_scheme("vienne-fermee", nom="Dispositif fermé (Vienne)", actif=False)
    _, html = page(client, "Loudun")
    aids = section(html, "lieu-1-aides")
    assert "Aide ouverte jusqu&#x27;à aujourd&#x27;hui" in aids and "Aide de la région" in aids
    assert "Aides de la région" in aids
    for absent in ("Aide close hier", "Aide ouverte demain", "Aide expirée", "Charente-Maritime", "communes seulement", "fermé"):
        assert absent not in html, absent


def test_three_places_compared_side_by_side_with_a_link_that_brings_them_back(client, cast, zone_scheme):  # noqa: F811
    response, html = page(client, "Loudun", "Poitiers", "Vienne", "Civray")
    assert response.status_code == 200
    table = html[html.index('id="comparaison"') : html.index("</table>")]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert headers == ["Médecin généraliste", "Loudun", "Poitiers", "Vienne"]
    zoning = re.search(r"Zonage</th>(.*?)</tr>", table, re.S).group(1)  # type: ignore[union-attr]
    cells = re.findall(r"<td>(.*?)</td>", zoning, re.S)
    assert ">sous-dense<" in cells[0] and ">non sous-dense<" in cells[1] and "communes sous-denses sur" in cells[2]
    link = re.search(r'id="lien-partage">Lien à partager : <a href="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert "Civray" not in link
    again, again_html = client.get(link.replace("http://testserver", "").replace("&amp;", "&")), ""
    again_html = again.content.decode()
    assert re.findall(r'<th scope="col">([^<]+)</th>', again_html[again_html.index('id="comparaison"') :])[:4] == headers


def test_one_place_has_no_comparison_table(client, cast):  # noqa: F811
    _, html = page(client, "Loudun")
    assert 'id="comparaison"' not in html


def test_the_pdf_is_one_page_for_three_places(client, cast, zone_scheme):  # noqa: F811
    for number in range(1, 5):  # as many aids as the Vienne's places have: four national, and these
        Aide.objects.create(
            identifiant=number,
            slug=f"aide-{number}",
            nom=f"Aide régionale à l'installation des jeunes médecins n° {number}",
            url=f"https://aides-territoires.beta.gouv.fr/aides/{number}/",
            financeurs=["Région Nouvelle-Aquitaine"],
            perimetre="Nouvelle-Aquitaine",
            perimetre_echelle="region",
            perimetre_code="75",
            pour_professionnels=True,
        )
    response = client.get(
        URL + "fiche.pdf", [("profession", "generaliste"), ("lieu", "Loudun"), ("lieu", "Poitiers"), ("lieu", "Vienne")]
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "ou-m-installer-generaliste-commune-86137-commune-86194-departement-86.pdf" in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Loudun" in text and "Poitiers" in text and "Vienne" in text and "Prime d'installation" in text


def test_the_pdf_without_a_place_is_refused_in_words(client, cast):  # noqa: F811
    response = client.get(URL + "fiche.pdf", {"profession": "generaliste"})
    assert response.status_code == 400 and "Choisissez une profession et un lieu" in response.content.decode()


def test_an_unknown_place_or_no_profession_is_said_beside_its_field(client, cast):  # noqa: F811
    response, html = page(client, "Zzzyxville")
    assert response.status_code == 400 and 'id="lieu-1-erreur"' in html and "Zzzyxville" in html
    response, html = page(client, "Loudun", profession="")
    assert response.status_code == 400 and "Choisissez une profession." in html and 'value="Loudun (86137)"' in html


def test_around_me_gives_the_nearest_commune_and_the_link_never_carries_the_position(client, cast):  # noqa: F811
    response = client.get(URL, {"profession": "generaliste", "position": "47.0105,0.0830"})
    assert response.status_code == 302
    assert "position" not in response["Location"] and "Loudun+%2886137%29" in response["Location"]
    assert client.get(URL, {"profession": "generaliste", "position": "n'importe quoi"}).status_code == 400


def test_make_oneself_known_with_the_place_and_profession_filled_in(client, cast):  # noqa: F811
    _, html = page(client, "CC du Pays Loudunais")
    link = re.search(r'href="(/installation/me-faire-connaitre/\?[^"]+)" id="me-faire-connaitre"', html).group(1)  # type: ignore[union-attr]
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="generaliste" selected' in form and 'value="86" selected' in form
    assert 'name="lieu" value="epci:248600447"' in form
    data = {
        "prenom": "Léa",
        "nom": "Martin",
        "email": "lea@etu.test",
        "profession": "generaliste",
        "situation": "interne",
        "departement": "86",
        "consentement": "on",
        "lieu": "epci:248600447",
    }
    assert client.post("/installation/me-faire-connaitre/", data).status_code == 200
    assert PortalSignup.objects.get().data["territoires_preferes"] == ["dep:86", "epci:248600447"]


def test_the_departement_enters_its_contact_once_and_it_shows_on_its_public_pages(client, cast):  # noqa: F811
    form_url = "/recrutement/contact-installation/"
    assert client.get(form_url).status_code == 302  # anonymous: to the login page
    client.force_login(cast["lussac"])
    assert client.get(form_url).status_code == 403
    client.force_login(cast["vienne"])
    refused = client.post(form_url, {"nom": "Claire Dupont", "fonction": "Chargée de mission"})
    assert refused.status_code == 400 and "au moins un téléphone" in refused.content.decode()
    assert 'value="Claire Dupont"' in refused.content.decode()
    saved = client.post(
        form_url,
        {"nom": "Claire Dupont", "fonction": "Chargée de mission", "telephone": "05 49 55 66 77", "email": "c@vienne.test"},
        follow=True,
    )
    assert "Contact enregistré" in saved.content.decode()
    assert DepartementContact.objects.get(departement_id="86").email == "c@vienne.test"
    assert AuditEvent.objects.filter(action="contact_installation.creation", user=cast["vienne"]).exists()
    client.logout()
    _, loudun = page(client, "Loudun")
    assert "Claire Dupont, Chargée de mission" in loudun and 'href="tel:0549556677"' in loudun
    _, la_rochelle = page(client, "La Rochelle (17300)")
    assert "Claire Dupont" not in la_rochelle and "pas encore indiqué de contact" in la_rochelle
    signup = client.get("/installation/me-faire-connaitre/?departement=86").content.decode()
    assert "Claire Dupont" in signup


def test_the_contact_shows_on_the_departement_and_commune_pages_and_officers_find_its_form(client, cast):  # noqa: F811
    DepartementContact.objects.create(departement_id="86", nom="Claire Dupont", email="c@vienne.test")
    assert "Claire Dupont" in client.get("/territoires/commune/86137/").content.decode()
    assert "Claire Dupont" in client.get("/territoires/departement/86/").content.decode()
    assert "Claire Dupont" not in client.get("/territoires/departement/17/").content.decode()
    client.force_login(cast["vienne"])
    assert 'href="/recrutement/contact-installation/"' in client.get("/recrutement/").content.decode()


def test_projects_seeking_the_profession_are_listed_in_their_place_only(client, cast, project):  # noqa: F811
    from oasis.projects.services import add_member

    add_member(cast["vienne"], project, "generaliste", "recherche")
    add_member(cast["vienne"], project, "infirmier", "recherche")
    _, vienne = page(client, "Vienne")
    listed = section(vienne, "lieu-1-postes")
    assert "Maison de santé de Lussac-les-Châteaux" in listed and "cherche Infirmier, Médecin généraliste" in listed
    _, loudun = page(client, "Loudun")  # Lussac-les-Châteaux is over 45 minutes from Loudun
    assert "Lussac" not in section(loudun, "lieu-1-postes")
    _, kine = page(client, "Vienne", profession="masseur-kinesitherapeute")
    assert "Lussac" not in section(kine, "lieu-1-postes")


def test_the_apl_trend_runs_over_the_imported_vintages(client, cast):  # noqa: F811
    from oasis.references.models import ReferenceImport

    newest = OfficialAplUnit.objects.get(profession="generaliste", commune_id=LOUDUN)
    older = ReferenceImport.objects.create(
        kind="drees-apl", fichier="apl_2019.xlsx", sha256="0" * 64, source="DREES", millesime="2019"
    )
    OfficialAplUnit.objects.create(
        reference=older,
        profession="generaliste",
        annee=2019,
        commune_id=LOUDUN,
        apl=newest.apl + 0.5,
        apl_moins_65=newest.apl_moins_65,
        pop_standardisee=newest.pop_standardisee,
        pop_totale=newest.pop_totale,
    )
    _, html = page(client, "Loudun")
    apl = section(html, "lieu-1-apl")
    rows = re.findall(r'<th scope="row">(\d{4})</th>', apl)
    assert rows == ["2019", str(newest.annee)]
    assert "Évolution depuis 2019 : <strong>-0,50</strong>" in html
    assert ">sous-dense<" in section(html, "lieu-1-verdict")  # the verdict still rests on the newest vintage


def test_each_departement_sets_only_its_own_contact(client, cast):  # noqa: F811
    form_url = "/recrutement/contact-installation/"
    data = {"nom": "Jean Martin", "fonction": "Chargé de mission", "email": "j@cm17.test"}
    client.force_login(cast["charente_maritime"])
    client.post(form_url + "?departement=86", data)  # the parameter is an administrator's only
    assert list(DepartementContact.objects.values_list("departement_id", flat=True)) == ["17"]
    for role in ("ars_na", "cpam_na", "medecin"):
        client.force_login(cast[role])
        assert client.post(form_url, data).status_code == 403, role
    client.force_login(cast["admin"])
    saved = client.post(form_url + "?departement=86", {**data, "nom": "Claire Dupont"})
    assert saved.status_code == 302 and saved["Location"] == form_url + "?departement=86"
    assert DepartementContact.objects.get(departement_id="86").nom == "Claire Dupont"
    assert DepartementContact.objects.get(departement_id="17").nom == "Jean Martin"
