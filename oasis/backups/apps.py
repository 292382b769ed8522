from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "oasis.backups"
    verbose_name = "Sauvegarde et restauration"
