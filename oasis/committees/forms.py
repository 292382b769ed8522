from __future__ import annotations

from typing import Any

from django import forms

from oasis.committees.models import DECISION_CHOICES


class SessionForm(forms.Form):
    date = forms.DateField(label="Date de la séance", widget=forms.DateInput(attrs={"type": "date"}))
    lieu = forms.CharField(label="Lieu", max_length=200, required=False)
    copresident_ars = forms.CharField(label="Co-présidence pour l'ARS (nom, fonction)", max_length=200)
    copresident_prefecture = forms.CharField(label="Co-présidence pour la Préfecture (nom, fonction)", max_length=200)
    members = forms.MultipleChoiceField(
        label="Membres ayant un compte OASIS", required=False, widget=forms.CheckboxSelectMultiple
    )
    external_members = forms.CharField(
        label="Autres membres, un par ligne",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : Conseil régional, représentants des usagers.",
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), label) for pk, label in members]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=DECISION_CHOICES)
    reasons = forms.CharField(label="Motifs (obligatoire)", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    derogation = forms.CharField(
        label="Dérogation au cahier des charges (pour valider un projet non conforme)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )


class RescheduleForm(forms.Form):
    date = forms.DateField(label="Nouvelle date de la séance", widget=forms.DateInput(attrs={"type": "date"}))
