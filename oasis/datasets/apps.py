from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "oasis.datasets"
    label = "datasets"
    verbose_name = "Données"
