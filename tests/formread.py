"""Reading a form of a served page as a browser submits it: its inputs (hidden ones too), textareas and selects."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None, action: str | None) -> None:
        super().__init__()
        self.form_id, self.action = form_id, action
        self.inside = False
        self.fields: dict[str, Any] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = (self.form_id is not None and attributes.get("id") == self.form_id) or (
                self.action is not None and attributes.get("action") == self.action
            )
            return
        if not self.inside:
            return
        name = attributes.get("name", "")
        if tag == "input" and name and attributes.get("type") not in ("submit", "checkbox", "radio"):
            self.fields[name] = attributes.get("value", "")
        elif tag == "input" and name and "checked" in attributes:  # checked boxes of one name: a list
            self.fields.setdefault(name, []).append(attributes.get("value", "on"))
        elif tag == "textarea" and name:
            self.textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and ("selected" in attributes or self.select not in self.fields):
            self.fields[self.select] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            text = self.fields[self.textarea]
            self.fields[self.textarea] = text[1:] if text.startswith("\n") else text  # as browsers read it
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data


def form_fields(html: str, form_id: str | None = None, action: str | None = None) -> dict[str, Any]:
    """The values of the form with this id (or this action) as a browser would submit them, buttons left out; the
    checked boxes of a name as a list of their values."""
    reader = _FormReader(form_id, action)
    reader.feed(html)
    assert reader.fields, f"no form {form_id or action} on the page"
    return reader.fields
