from __future__ import annotations

from typing import Any

from django import forms

from oasis.recruitment.enums import AidKind, Mode, PipelineStage, Profession, Situation, VacancyStatus
from oasis.recruitment.models import AidScheme
from oasis.recruitment.schemes import AMOUNT_BOTH, AMOUNT_REQUIRED
from oasis.references.validators import validate_rpps
from oasis.territories.fields import TerritoryField, TerritoryListField
from oasis.territories.models import Departement
from oasis.validity import AidForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class SchemeForm(AidForm):
    professions = forms.MultipleChoiceField(
        label="Professions éligibles", choices=Profession.choices, widget=forms.CheckboxSelectMultiple
    )
    territoires = TerritoryListField(
        label="Territoires où l'aide s'applique",
        niveaux=("commune", "epci"),
        as_ref=True,
        required=False,
        help_text="Communes ou EPCI du département, par leur nom, séparés par « ; ». Vide : tout le département.",
    )

    class Meta:
        model = AidScheme
        fields = [
            "code",
            "nom",
            "financeur",
            "kind",
            "professions",
            "annee_min",
            "annee_max",
            "montant_mensuel",
            "montant_forfaitaire",
            "plafond",
            "duree_engagement_mois",
            "delai_installation_mois",
            "regle_remboursement",
            "territoires",
            "zone_sous_dense",
            "ouvert_le",
            "ouvert_jusqu_au",
            "remplace_par",
            "conditions",
            "contact",
            "source",
            "actif",
        ]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "ouvert_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ouvert_jusqu_au": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "montant_mensuel": "Une aide versée chaque mois (une bourse d'études, par exemple) ; sinon, un montant forfaitaire.",
            "ouvert_le": "Premier jour où l'aide peut être signée ; vide : déjà ouverte.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in AidKind.choices if c[0] != AidKind.NATIONALE]  # type: ignore[attr-defined]
        self.fields["duree_engagement_mois"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        monthly, lump = cleaned.get("montant_mensuel"), cleaned.get("montant_forfaitaire")
        if monthly is None and lump is None and "montant_mensuel" not in self.errors:
            self.add_error("montant_mensuel", AMOUNT_REQUIRED)
        elif monthly is not None and lump is not None:
            self.add_error("montant_forfaitaire", AMOUNT_BOTH)
        return cleaned


class CandidateForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=120)
    nom = forms.CharField(label="Nom", max_length=120)
    email = forms.EmailField(label="Courriel", required=False)
    telephone = forms.RegexField(label="Téléphone", regex=r"^[0-9 +().-]{0,30}$", max_length=30, required=False)
    profession = forms.ChoiceField(label="Profession", choices=Profession.choices)
    rpps = forms.CharField(
        label="Numéro RPPS",
        max_length=11,
        required=False,
        validators=[validate_rpps],
        help_text="11 chiffres, pour un professionnel diplômé : vérifié dans l'Annuaire santé.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    situation = forms.ChoiceField(label="Situation", choices=Situation.choices)
    annee_etudes = forms.IntegerField(label="Année d'études", min_value=1, max_value=12, required=False)
    etablissement = forms.CharField(label="Faculté ou école", max_length=200, required=False)
    territoires_preferes = TerritoryListField(
        label="Territoires souhaités",
        as_ref=True,
        required=False,
        help_text="Communes, EPCI, départements, régions ; séparés par « ; ».",
    )
    commune_reference = TerritoryField(label="Lieu de référence (commune)", niveaux=("commune",), required=False)
    temps_max_minutes = forms.IntegerField(label="Temps de trajet maximal (minutes)", min_value=1, max_value=600, required=False)
    modes = forms.MultipleChoiceField(
        label="Modes d'exercice souhaités", choices=Mode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    disponible_le = forms.DateField(label="Disponible à partir du", required=False, **DATE)  # type: ignore[arg-type]
    consentement_communication = forms.BooleanField(label="Accepte de recevoir les présentations de projets", required=False)
    notes = forms.CharField(label="Notes", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lu = forms.CharField(required=False, widget=forms.HiddenInput)  # the file as read (oasis.concurrency.read_token)

    def territories(self) -> list[str]:
        raw = self.cleaned_data.get("territoires_preferes") or ""
        return [ref.strip() for ref in raw.replace(";", ",").split(",") if ref.strip()]


class NewCandidateForm(CandidateForm):
    consentement = forms.BooleanField(
        label="La personne a consenti au traitement de ses données par le Département (information RGPD remise)",
        required=True,
    )


class AgreementForm(forms.Form):
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=AidScheme.objects.none())
    signee_le = forms.DateField(label="Signée le", **DATE)  # type: ignore[arg-type]
    debut = forms.DateField(label="Premier versement", **DATE)  # type: ignore[arg-type]
    nb_mois = forms.IntegerField(
        label="Nombre de mensualités (vide : jusqu'à la dernière année aidée)", min_value=1, max_value=240, required=False
    )

    def __init__(self, *args: Any, schemes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes if schemes is not None else AidScheme.objects.none()  # type: ignore[attr-defined]


class InstallationForm(forms.Form):
    commune = TerritoryField(label="Commune d'installation", niveaux=("commune",))
    depuis = forms.DateField(label="Installé depuis le", **DATE)  # type: ignore[arg-type]


class BreachForm(forms.Form):
    le = forms.DateField(label="Rupture constatée le", **DATE)  # type: ignore[arg-type]
    motif = forms.CharField(label="Motif", max_length=300)


class PaidForm(forms.Form):
    jusqu_au = forms.DateField(label="Versements effectués jusqu'au", **DATE)  # type: ignore[arg-type]


def _project_choices(field: Any, projects: Any) -> None:
    """A project is chosen by its name among those the user may see, never typed as a number."""
    rows = projects.select_related("commune_principale").order_by("nom") if projects is not None else []
    field.choices = [("", "— Aucun —")] + [(p.pk, f"{p.nom} ({p.commune_principale.nom})") for p in rows]


class VacancyForm(forms.Form):
    commune = TerritoryField(label="Commune", niveaux=("commune",))
    profession = forms.ChoiceField(label="Profession", choices=Profession.choices)
    mode = forms.ChoiceField(label="Mode d'exercice", choices=Mode.choices)
    debut = forms.DateField(label="Prise de poste souhaitée", required=False, **DATE)  # type: ignore[arg-type]
    conditions = forms.CharField(label="Conditions", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    logement = forms.BooleanField(label="Logement proposé", required=False)
    logement_details = forms.CharField(label="Précisions sur le logement", max_length=300, required=False)
    contact_nom = forms.CharField(label="Contact", max_length=200)
    contact_email = forms.EmailField(label="Courriel du contact", required=False)
    contact_telephone = forms.RegexField(label="Téléphone du contact", regex=r"^[0-9 +().-]{0,30}$", required=False)
    project_id = forms.TypedChoiceField(label="Projet (facultatif)", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _project_choices(self.fields["project_id"], projects)


class VacancyStatusForm(forms.Form):
    statut = forms.ChoiceField(choices=VacancyStatus.choices)


class PlacementForm(forms.Form):
    vacancy = forms.IntegerField(label="Poste", required=False, min_value=1)
    commune = TerritoryField(label="ou commune", niveaux=("commune",), required=False)


class MovePlacementForm(forms.Form):
    stage = forms.ChoiceField(label="Étape", choices=PipelineStage.choices)
    note = forms.CharField(label="Note", max_length=500, required=False)
    installe_le = forms.DateField(label="Installé le (si installé)", required=False, **DATE)  # type: ignore[arg-type]


class VisitForm(forms.Form):
    date = forms.DateField(label="Date", **DATE)  # type: ignore[arg-type]
    lieux = forms.CharField(label="Lieux visités", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    personnes_rencontrees = forms.CharField(
        label="Personnes rencontrées", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    retour = forms.CharField(
        label="Retour du candidat", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    vacancy_id = forms.IntegerField(label="Poste concerné (numéro, facultatif)", required=False, min_value=1)


class CampaignForm(forms.Form):
    titre = forms.CharField(label="Titre", max_length=200)
    project_id = forms.TypedChoiceField(label="Projet présenté (facultatif)", required=False, coerce=int, empty_value=None)
    message = forms.CharField(label="Message", max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    professions = forms.MultipleChoiceField(
        label="Professions (aucune : toutes)", choices=Profession.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    beneficiaires_seulement = forms.BooleanField(label="Bénéficiaires d'une aide seulement", required=False)

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _project_choices(self.fields["project_id"], projects)


class EraseForm(forms.Form):
    motif = forms.CharField(label="Motif (demande de la personne, date…)", max_length=300)


class PortalSignupForm(forms.Form):
    """What a student or professional tells the Département on the public portal (no login)."""

    prenom = forms.CharField(label="Prénom", max_length=120)
    nom = forms.CharField(label="Nom", max_length=120)
    email = forms.EmailField(label="Adresse électronique", help_text="Format attendu : nom@domaine.fr")
    telephone = forms.RegexField(label="Téléphone (facultatif)", regex=r"^[0-9 +().-]{0,30}$", max_length=30, required=False)
    profession = forms.ChoiceField(label="Profession", choices=Profession.choices)
    situation = forms.ChoiceField(label="Situation", choices=Situation.choices)
    annee_etudes = forms.IntegerField(label="Année d'études (étudiants)", min_value=1, max_value=12, required=False)
    etablissement = forms.CharField(label="Faculté ou école (facultatif)", max_length=200, required=False)
    departement = forms.ModelChoiceField(
        label="Département où vous souhaitez vous installer", queryset=Departement.objects.order_by("code")
    )
    modes = forms.MultipleChoiceField(
        label="Modes d'exercice souhaités", choices=Mode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    disponible_le = forms.DateField(label="Disponible à partir du (facultatif)", required=False, **DATE)  # type: ignore[arg-type]
    message = forms.CharField(
        label="Votre projet en quelques mots (facultatif)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consentement = forms.BooleanField(
        label="J'accepte que le Département enregistre ces informations pour m'accompagner dans mon installation "
        "(elles sont conservées 24 mois après notre dernier échange ; je peux les consulter, les exporter ou les "
        "faire effacer à tout moment).",
        required=False,
    )
    consentement_communication = forms.BooleanField(
        label="J'accepte de recevoir par courriel les présentations de projets et de postes (désinscription en un clic).",
        required=False,
    )
