"""Forms drawn with the État's design system: DSFR classes on every widget, date inputs fed ISO values.

Set as ``FORM_RENDERER``: every Django form of the site (domain forms included) renders its fields through
``www/forms/field.html`` and gets :class:`DsfrBoundField`, so templates write ``{{ form.x.as_field_group }}``
or ``{% include "www/_form_fields.html" %}`` and never repeat the markup.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

# A browser's <input type="date"> only keeps a value written YYYY-MM-DD: a localised "15/12/2026" is dropped,
# and saving the form would then erase the date.
ISO_DATE = "%Y-%m-%d"


def _widget_class(widget: forms.Widget, has_errors: bool) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return ""
    if isinstance(widget, forms.FileInput):
        return "fr-upload"
    base = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
    return f"{base} {base}--error" if has_errors else base


class DsfrBoundField(BoundField):
    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        widget = field.widget
        if isinstance(widget, forms.DateInput) and not isinstance(widget, forms.SplitDateTimeWidget):
            widget.format = ISO_DATE
            widget.input_type = "date"

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = _widget_class(widget, bool(self.errors))
        if css:
            attrs["class"] = f"{css} {attrs['class']}" if attrs.get("class") else css
        if self.errors and self.auto_id:
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} {self.auto_id}-erreur".strip()
        return attrs

    @property
    def kind(self) -> str:
        """Which DSFR group draws the field: checkbox, checkboxes, radios, upload, select or input."""
        widget = self.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.FileInput):
            return "upload"
        if isinstance(widget, forms.Select):
            return "select"
        return "input"


class DsfrFormRenderer(DjangoTemplates):
    form_template_name = "www/forms/form.html"
    field_template_name = "www/forms/field.html"
    bound_field_class = DsfrBoundField
