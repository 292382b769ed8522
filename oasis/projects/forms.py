from __future__ import annotations

from typing import Any

from django import forms

from oasis.projects.enums import ActionKind, Carrier, DocumentKind, PartnerKind, ProjectKind
from oasis.projects.models import FundingTool
from oasis.territories.fields import TerritoryField, TerritoryListField
from oasis.validity import AidForm


class ProjectForm(forms.Form):
    nom = forms.CharField(label="Nom du projet", max_length=200)
    kind = forms.ChoiceField(label="Type de structure", choices=ProjectKind.choices)
    carrier = forms.ChoiceField(label="Porteur", choices=Carrier.choices)
    carrier_name = forms.CharField(label="Nom du porteur", max_length=200)
    commune_principale = TerritoryField(
        label="Commune d'implantation",
        niveaux=("commune",),
        help_text="Nom, code postal ou code INSEE.",
    )
    communes_desservies = TerritoryListField(
        label="Autres communes desservies", niveaux=("commune",), required=False, help_text="Séparées par « ; »."
    )
    collectivite_code = TerritoryField(
        label="Commune ou EPCI bénéficiaire", niveaux=("commune", "epci"), help_text="Nom, code INSEE ou SIREN."
    )
    next_action = forms.CharField(label="Prochaine action", max_length=300, required=False)
    next_action_due = forms.DateField(label="Échéance", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("collectivite_code") or ""
        # An EPCI is named by its 9-digit SIREN, a commune by its 5-character INSEE code.
        data["collectivite_niveau"] = "epci" if len(code) == 9 else "commune"
        return data

    def served(self) -> list[str]:
        raw = self.cleaned_data.get("communes_desservies") or ""
        return [code.strip().upper() for code in raw.replace(";", ",").split(",") if code.strip()]


def _read() -> forms.CharField:
    """The hidden field that carries what the form read of the record (``oasis.concurrency.read_token``)."""
    return forms.CharField(required=False, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    to_stage = forms.CharField(max_length=30)
    reason = forms.CharField(label="Motif", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    derogation = forms.CharField(label="Dérogation", max_length=2000, required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label="Ajouter un commentaire ou un avis", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class NextActionForm(forms.Form):
    next_action = forms.CharField(label="Prochaine action", max_length=300, required=False)
    next_action_due = forms.DateField(label="Échéance", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    lu = _read()


class PartnerForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=PartnerKind.choices)
    nom = forms.CharField(label="Organisation", max_length=200)
    role = forms.CharField(label="Rôle dans le projet", max_length=300, required=False)


class ContactForm(forms.Form):
    nom = forms.CharField(label="Nom", max_length=200)
    fonction = forms.CharField(label="Fonction", max_length=200, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    telephone = forms.RegexField(label="Téléphone", regex=r"^[0-9 +().-]{0,30}$", max_length=30, required=False)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ActionKind.choices)
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    objet = forms.CharField(label="Objet", max_length=300)
    participants = forms.CharField(
        label="Participants", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    compte_rendu = forms.CharField(
        label="Compte rendu", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lu = _read()


def _amount(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=12, decimal_places=2, required=required, localize=True)


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class FundingLineForm(forms.Form):
    tool = forms.ChoiceField(label="Outil financier", choices=[])
    objet = forms.CharField(label="Objet", max_length=300, required=False)
    demande = _amount("Montant demandé (€)", required=True)
    demande_le = _date("Demandé le")
    accorde = _amount("Montant accordé (€)")
    accorde_le = _date("Accordé le")
    verse = _amount("Montant versé (€)")
    verse_le = _date("Versé le")

    def __init__(self, *args: Any, tools: Any, **kwargs: Any) -> None:
        """``tools``: the tools offered to the project (its catalogue and the aids of its perimeter)."""
        super().__init__(*args, **kwargs)
        self.fields["tool"].choices = [(tool.code, tool.nom) for tool in tools]  # type: ignore[attr-defined]


class CostForm(forms.Form):
    cout_total = _amount("Coût de l'opération (€ HT)")
    lu = _read()


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=DocumentKind.choices)
    titre = forms.CharField(label="Titre", max_length=200, required=False)
    fichier = forms.FileField(label="Fichier")
    restreint = forms.BooleanField(label="Réservé au Département", required=False)
    demande = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=DocumentKind.choices)
    titre = forms.CharField(label="Document demandé", max_length=200)
    due = forms.DateField(label="Attendu le", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class VersionForm(forms.Form):
    fichier = forms.FileField(label="Nouvelle version")


class AciForm(forms.Form):
    patientele = forms.IntegerField(
        label="Patientèle médecin traitant des médecins associés", min_value=0, max_value=200_000, initial=4000
    )
    professionnels = forms.IntegerField(label="Professionnels de santé associés", min_value=0, max_value=500, initial=13)


class CahierForm(forms.Form):
    titre = forms.CharField(label="Intitulé", max_length=200)
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Le texte de l'ARS dont viennent ces règles : intitulé, date, adresse de publication.",
    )
    min_generalistes = forms.IntegerField(label="Médecins généralistes au minimum", min_value=0, max_value=20)
    min_auxiliaires = forms.IntegerField(label="Auxiliaires médicaux au minimum", min_value=0, max_value=20)
    salaries_moins_que_associes = forms.BooleanField(label="Moins de salariés que d'associés (règle des SISA)", required=False)
    items = forms.CharField(
        label="Exigences du projet de santé",
        help_text="Une par ligne : « Catégorie | Libellé », suivi de « | facultatif » pour une exigence listée sans être "
        "exigée. Une exigence garde les réponses des projets tant que son libellé ne change pas. Une exigence dont le "
        "libellé commence par « Télémédecine » rend obligatoire la rubrique Télémédecine du projet de santé.",
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    lu = _read()


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FundingToolForm(AidForm):
    """A tool of the funding catalogue, as its owner (an administrator, a Département's officer) describes it."""

    porteurs = forms.MultipleChoiceField(
        label="Porteurs éligibles",
        choices=Carrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les porteurs.",
    )
    territoires = TerritoryListField(
        label="Territoires où l'outil s'applique",
        niveaux=("commune", "epci", "departement"),
        as_ref=True,
        required=False,
        help_text="Communes, EPCI ou le département, par leur nom, séparés par « ; ». Vide : tout le département "
        "(un outil national : partout).",
    )

    class Meta:
        model = FundingTool
        fields = [
            "nom",
            "financeur",
            "nature",
            "public",
            "porteurs",
            "territoires",
            "montant_max",
            "taux_max",
            "zone",
            "territoire",
            "ouvert_le",
            "ouvert_jusqu_au",
            "remplace_par",
            "conditions",
            "source",
        ]
        labels = {
            "zone": "Condition de zone",
            "territoire": "Communes rurales ou urbaines",
            "source": "Source (délibération, règlement)",
        }
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "ouvert_le": DATE_INPUT,
            "ouvert_jusqu_au": DATE_INPUT,
        }


class FirForm(forms.Form):
    titre = forms.CharField(label="Intitulé", max_length=200)
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Le texte de l'ARS qui fixe ces règles (cahier des charges, règlement du FIR) : intitulé, date, adresse.",
    )
    types_structure = forms.MultipleChoiceField(
        label="Types de structure financés",
        choices=[(kind.value, kind.label) for kind in ProjectKind],
        widget=forms.CheckboxSelectMultiple,
    )
    montant_etude = forms.DecimalField(
        label="Étude de faisabilité : montant maximal (€)", min_value=0, max_digits=12, decimal_places=2, required=False
    )
    montant_demarrage = forms.DecimalField(
        label="Aide au démarrage : montant maximal (€)", min_value=0, max_digits=12, decimal_places=2, required=False
    )
    demarrage_sous_dense = forms.BooleanField(label="Aide au démarrage réservée aux zones sous-denses", required=False)
    conditions = forms.CharField(label="Conditions", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    pieces = forms.CharField(
        label="Pièces du dossier FIR",
        help_text="Une par ligne. Une pièce garde les réponses des projets tant que son libellé ne change pas.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    lu = _read()


class BudgetForm(forms.Form):
    """The operating budget: yearly amounts, then one « parts » field per team member (``part-<pk>``)."""

    charges_sisa = _amount("Charges de la SISA (€ par an)")
    loyer = _amount("Loyer et charges locatives (€ par an)")
    secretariat = _amount("Secrétariat et accueil (€ par an)")
    autres_charges = _amount("Autres charges (€ par an)")
    autres_libelle = forms.CharField(label="Nature des autres charges", max_length=200, required=False)
    aci_annuel = _amount("Rémunération ACI annuelle (€)")
    aci_source = forms.CharField(
        label="Origine du montant ACI",
        max_length=300,
        required=False,
        help_text="Par exemple : simulateur ACI d'OASIS, ou le montant versé par la CPAM l'an dernier.",
    )
    lu = _read()

    def __init__(self, *args: Any, members: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"part-{member.pk}"] = forms.IntegerField(
                label=f"Parts : {member.label or member.get_profession_display()}", min_value=0, max_value=100, required=False
            )

    def parts(self) -> dict[str, int]:
        return {str(m.pk): self.cleaned_data.get(f"part-{m.pk}") or 0 for m in self.members}
