from __future__ import annotations

from django import forms

from oasis.projects.enums import Carrier, ProjectKind


class ProjectForm(forms.Form):
    nom = forms.CharField(label="Nom du projet", max_length=200)
    kind = forms.ChoiceField(label="Type de structure", choices=ProjectKind.choices)
    carrier = forms.ChoiceField(label="Porteur", choices=Carrier.choices)
    carrier_name = forms.CharField(label="Nom du porteur", max_length=200)
    commune_principale = forms.RegexField(label="Commune d'implantation (code INSEE)", regex=r"^(\d{5}|2[AB]\d{3})$")
    communes_desservies = forms.CharField(
        label="Communes desservies (codes INSEE séparés par des virgules)", required=False, max_length=2000
    )
    collectivite_niveau = forms.ChoiceField(label="Bénéficiaire", choices=[("commune", "Commune"), ("epci", "EPCI")])
    collectivite_code = forms.RegexField(label="Code INSEE ou SIREN du bénéficiaire", regex=r"^(\d{5}|2[AB]\d{3}|\d{9})$")
    next_action = forms.CharField(label="Prochaine action", max_length=300, required=False)
    next_action_due = forms.DateField(label="Échéance", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def served(self) -> list[str]:
        raw = self.cleaned_data.get("communes_desservies") or ""
        return [code.strip().upper() for code in raw.replace(";", ",").split(",") if code.strip()]


class MoveForm(forms.Form):
    to_stage = forms.CharField(max_length=30)
    reason = forms.CharField(label="Motif", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label="Commentaire", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class NextActionForm(forms.Form):
    next_action = forms.CharField(label="Prochaine action", max_length=300, required=False)
    next_action_due = forms.DateField(label="Échéance", required=False, widget=forms.DateInput(attrs={"type": "date"}))
