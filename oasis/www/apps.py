from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "oasis.www"
    label = "www"
    verbose_name = "Site web"
