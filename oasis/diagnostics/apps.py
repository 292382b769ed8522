from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "oasis.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics territoriaux"
