from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    name = "oasis.references"
    label = "references"
    verbose_name = "Références officielles"
