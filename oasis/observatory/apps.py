from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "oasis.observatory"
    label = "observatory"
    verbose_name = "Observatoire des maisons et centres de santé"
