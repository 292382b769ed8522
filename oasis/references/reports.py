"""What an import changed, in French, for the command line and the update's summary."""

from __future__ import annotations

from oasis.references.importers.common import ImportReport

LISTED = 15


def describe(report: ImportReport, *, dry_run: bool = False) -> str:
    reference = report.reference
    if report.skipped:
        return f"{reference} : déjà importé le {reference.imported_at:%d/%m/%Y} (même empreinte), rien à faire."
    head = "Vérifié (rien n'est écrit)" if dry_run else f"Importé en {reference.duration_seconds:.1f} s"
    lines = [f"{head} : {reference.get_kind_display()}, {reference.millesime} — {reference.fichier}"]
    for key, value in reference.lignes.items():
        if isinstance(value, dict) and value:
            inner = ", ".join(f"{k} {v}" for k, v in list(value.items())[:LISTED])
            lines.append(f"  {key} : {inner}")
        elif isinstance(value, list):
            lines.append(f"  {key} : {len(value)}" + (f" ({', '.join(map(str, value[:LISTED]))})" if value else ""))
        else:
            lines.append(f"  {key} : {value}")
    for key, value in report.changes.items():
        if isinstance(value, list):
            lines.append(f"  {key} : {len(value)}" + (f" — {'; '.join(map(str, value[:LISTED]))}" if value else ""))
        else:
            lines.append(f"  {key} : {value}")
    return "\n".join(lines)
