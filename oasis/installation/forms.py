"""The Département's contact, as its officers enter it."""

from __future__ import annotations

from django import forms

from oasis.installation.models import DepartementContact


class ContactForm(forms.ModelForm):  # type: ignore[type-arg]
    telephone = forms.RegexField(
        label="Téléphone",
        regex=r"^[0-9 +().-]{6,30}$",
        max_length=30,
        required=False,
        help_text="Format attendu : 05 49 00 00 00",
    )

    class Meta:
        model = DepartementContact
        fields = ["nom", "fonction", "telephone", "email", "adresse"]
        help_texts = {"email": "Format attendu : nom@domaine.fr", "fonction": "ex. Chargée de mission démographie médicale"}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("telephone") and not data.get("email"):
            raise forms.ValidationError("Indiquez au moins un téléphone ou une adresse électronique.")
        return data
