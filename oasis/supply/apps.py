from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "oasis.supply"
    label = "supply"
    verbose_name = "Offre de soins"
